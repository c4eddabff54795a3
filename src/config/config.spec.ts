import { assertValidEnvironment } from './config';
import { loadSecurityConfig } from './security.config';
import { loadSessionConfig } from './session.config';
import { loadUpstreamsConfig } from './upstreams.config';
import { ConfigError } from './validate-env';

function problems(env: Record<string, string>): string[] {
  try {
    assertValidEnvironment(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

const PRODUCTION_OK = {
  NODE_ENV: 'production',
  PUBLIC_ORIGIN: 'https://portal.example.com',
  REDIS_URL: 'redis://redis:6379',
  ONEACCESS_BASE_URL: 'https://abcdefg.huaweioneaccess.com',
  ONEACCESS_CLIENT_ID: 'DRrYIqauawN0I8myTMoDTPys6ezGZxnm',
  ONEACCESS_CLIENT_SECRET: 'k9S2m4Q7x1V8b3N6c5Z0a2L4j7H9g1F3',
  SESSION_SECRETS: 'wq8Lr2Vn5Xb7Kc1Mz9Pd3Tf6Hj0Ys4Ga',
  SESSION_ENCRYPTION_KEYS: Buffer.alloc(32, 9).toString('base64'),
};

describe('configuration', () => {
  it('should start in development with nothing set', () => {
    expect(problems({})).toEqual([]);
  });

  it('should accept a complete production configuration', () => {
    expect(problems(PRODUCTION_OK)).toEqual([]);
  });

  it('should refuse every development fallback in production and name each variable', () => {
    const found = problems({ NODE_ENV: 'production' }).join('\n');
    for (const name of [
      'REDIS_URL',
      'ONEACCESS_BASE_URL',
      'ONEACCESS_CLIENT_ID',
      'ONEACCESS_CLIENT_SECRET',
      'SESSION_SECRETS',
      'SESSION_ENCRYPTION_KEYS',
    ]) {
      expect(found).toContain(name);
    }
  });

  it('should refuse placeholder secrets in production', () => {
    const found = problems({
      ...PRODUCTION_OK,
      SESSION_SECRETS: 'change-me-change-me-change-me-change-me',
      ONEACCESS_CLIENT_SECRET: 'example',
    });
    expect(found.join('\n')).toMatch(/SESSION_SECRETS: a placeholder/);
    expect(found.join('\n')).toMatch(/ONEACCESS_CLIENT_SECRET: a placeholder/);
  });

  it('should name every malformed variable at once', () => {
    const found = problems({
      PORT: 'eighty',
      PUBLIC_ORIGIN: 'https://portal.example.com/path',
      COOKIE_SECURE: 'maybe',
      REDIS_URL: 'http://redis',
      ONEACCESS_TIMEOUT_MS: '-1',
      API_ROUTES: '{not json',
      SESSION_ENCRYPTION_KEYS: 'c2hvcnQ=',
    });
    const text = found.join('\n');
    for (const name of [
      'PORT',
      'PUBLIC_ORIGIN',
      'COOKIE_SECURE',
      'REDIS_URL',
      'ONEACCESS_TIMEOUT_MS',
      'API_ROUTES',
      'SESSION_ENCRYPTION_KEYS',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('should refuse COOKIE_SECURE=false with a __Host- cookie name and accept it with another name', () => {
    expect(() => loadSessionConfig({ COOKIE_SECURE: 'false' })).toThrow(/__Host-/);
    const cfg = loadSessionConfig({ COOKIE_SECURE: 'false', COOKIE_NAME: 'bff' });
    expect(cfg).toMatchObject({ cookieSecure: false, cookieName: 'bff' });
  });

  it('should parse API_ROUTES with the id_token default and reject bad names, targets and credentials', () => {
    const cfg = loadUpstreamsConfig({
      API_ROUTES: JSON.stringify({ orders: { target: 'http://orders:8080/v1' } }),
    });
    expect(cfg.routes.get('orders')).toMatchObject({ name: 'orders', token: 'id_token' });
    expect(cfg.routes.get('orders')!.target.href).toBe('http://orders:8080/v1');
    const bad = JSON.stringify({
      Bad_Name: { target: 'ftp://x' },
      ok: { target: 'http://x', token: 'cookie' },
    });
    expect(() => loadUpstreamsConfig({ API_ROUTES: bad })).toThrow(
      /Bad_Name[\s\S]*target[\s\S]*token/,
    );
  });

  it('should merge RATE_LIMITS over the defaults, and switch them off with "off"', () => {
    expect(loadUpstreamsConfig({ RATE_LIMITS: '{"login_per_ip":5}' }).rateLimits).toMatchObject({
      login_per_ip: 5,
      login_per_account: 10,
    });
    expect(loadUpstreamsConfig({ RATE_LIMITS: 'off' }).rateLimits).toBeNull();
    expect(() => loadUpstreamsConfig({ RATE_LIMITS: '{"nope":1}' })).toThrow(/RATE_LIMITS.nope/);
  });

  it('should keep the key order of SESSION_SECRETS so the newest signs', () => {
    const cfg = loadSessionConfig({
      SESSION_SECRETS: 'new-secret-new-secret-new-secret-1,old-secret-old-secret-old-secret-22',
    });
    expect(cfg.secrets[0]).toMatch(/^new/);
    expect(cfg.secrets).toHaveLength(2);
  });

  describe('weak settings in production', () => {
    const WEAK = {
      ...PRODUCTION_OK,
      PUBLIC_ORIGIN: 'http://portal.example.com',
      ONEACCESS_BASE_URL: 'http://abcdefg.huaweioneaccess.com',
      COOKIE_SECURE: 'false',
      COOKIE_NAME: 'bff',
      TRUST_PROXY: '999',
    };

    it('should refuse plain http, an insecure cookie and too many proxy hops, naming each', () => {
      const found = problems(WEAK);
      for (const name of ['PUBLIC_ORIGIN', 'ONEACCESS_BASE_URL', 'COOKIE_SECURE', 'TRUST_PROXY'])
        expect(found.some((p) => p.startsWith(`${name}:`) && p.includes('ALLOW_INSECURE'))).toBe(
          true,
        );
      expect(found).toHaveLength(4);
    });

    it('should refuse the default http://localhost origin in production', () => {
      const withoutOrigin: Record<string, string> = { ...PRODUCTION_OK };
      delete withoutOrigin.PUBLIC_ORIGIN;
      expect(problems(withoutOrigin)).toEqual([
        expect.stringMatching(/^PUBLIC_ORIGIN: must be https/),
      ]);
    });

    it('should start with ALLOW_INSECURE=true and list what it let through', () => {
      expect(problems({ ...WEAK, ALLOW_INSECURE: 'true' })).toEqual([]);
      expect(loadSecurityConfig({ ...WEAK, ALLOW_INSECURE: 'true' }).overridden).toHaveLength(4);
      expect(loadSecurityConfig(PRODUCTION_OK).overridden).toEqual([]);
    });

    it('should accept a sane hop count and leave development alone', () => {
      expect(problems({ ...PRODUCTION_OK, TRUST_PROXY: '2' })).toEqual([]);
      expect(problems({ ...WEAK, NODE_ENV: 'development' })).toEqual([]);
    });

    it('should refuse a mistyped ALLOW_INSECURE', () => {
      expect(problems({ ...WEAK, ALLOW_INSECURE: 'yes please' })).toContainEqual(
        expect.stringMatching(/^ALLOW_INSECURE: must be true or false/),
      );
    });
  });

  describe('TRUST_PROXY that cannot work', () => {
    it('should name catch-all ranges in any environment, never throw a stack', () => {
      for (const value of ['0.0.0.0/0,::/0', '::/0', '10.0.0.0/8, 0.0.0.0/0']) {
        expect(problems({ TRUST_PROXY: value })).toEqual([
          expect.stringMatching(/^TRUST_PROXY: .*\/0 trusts every address/),
        ]);
      }
    });

    it('should turn what proxy-addr cannot compile into a config message', () => {
      for (const value of ['10.0.0.0/33', '1.2.3', '::1/200'])
        expect(problems({ TRUST_PROXY: value })).toEqual([expect.stringMatching(/^TRUST_PROXY: /)]);
    });
  });
});
