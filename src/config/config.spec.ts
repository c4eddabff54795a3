import { assertValidEnvironment } from './config';
import { loadOneAccessConfig } from './oneaccess.config';
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

  it('should derive the cookie path and name from BASE_PATH', () => {
    expect(loadSessionConfig({})).toMatchObject({ cookiePath: '/', cookieName: '__Host-bff' });
    expect(loadSessionConfig({ BASE_PATH: '/portal' })).toMatchObject({
      cookiePath: '/portal',
      cookieName: '__Secure-bff',
    });
    expect(loadSessionConfig({ BASE_PATH: '/portal', COOKIE_PATH: '/' })).toMatchObject({
      cookiePath: '/',
      cookieName: '__Host-bff',
    });
    expect(
      loadSessionConfig({ BASE_PATH: '/a/portal', COOKIE_PATH: '/a', COOKIE_NAME: 'sid' }),
    ).toMatchObject({ cookiePath: '/a', cookieName: 'sid' });
  });

  it('should refuse a cookie name or path that contradicts the others', () => {
    expect(() => loadSessionConfig({ BASE_PATH: '/portal', COOKIE_NAME: '__Host-bff' })).toThrow(
      /COOKIE_NAME: a __Host- cookie must have Path=\/ but COOKIE_PATH is \/portal/,
    );
    expect(() => loadSessionConfig({ COOKIE_PATH: '/portal', COOKIE_NAME: '__Host-x' })).toThrow(
      /COOKIE_PATH: must be \/, BASE_PATH \(unset\)[\s\S]*__Host- cookie must have Path=\//,
    );
    expect(() => loadSessionConfig({ BASE_PATH: '/portal', COOKIE_SECURE: 'false' })).toThrow(
      /__Secure- cookie must be Secure/,
    );
    expect(() => loadSessionConfig({ BASE_PATH: '/portal', COOKIE_PATH: '/other' })).toThrow(
      /COOKIE_PATH: must be \/, BASE_PATH/,
    );
    expect(() => loadSessionConfig({ COOKIE_PATH: 'portal/' })).toThrow(/COOKIE_PATH/);
    expect(() => loadSessionConfig({ BASE_PATH: '/portal', COOKIE_NAME: '__HOST-bff' })).toThrow(
      /__Host- cookie must have Path=\//,
    );
  });

  it('should send Clear-Site-Data on logout by default only without BASE_PATH', () => {
    expect(loadSessionConfig({}).logoutClearSiteData).toBe(true);
    expect(loadSessionConfig({ BASE_PATH: '/portal' }).logoutClearSiteData).toBe(false);
    expect(
      loadSessionConfig({ BASE_PATH: '/portal', LOGOUT_CLEAR_SITE_DATA: 'true' })
        .logoutClearSiteData,
    ).toBe(true);
    expect(loadSessionConfig({ LOGOUT_CLEAR_SITE_DATA: 'false' }).logoutClearSiteData).toBe(false);
    expect(() => loadSessionConfig({ LOGOUT_CLEAR_SITE_DATA: 'sometimes' })).toThrow(
      /LOGOUT_CLEAR_SITE_DATA/,
    );
  });

  it('should take ONEACCESS_PUBLIC_URL for the browser and refuse it without ONEACCESS_BASE_URL', () => {
    const server = {
      ONEACCESS_BASE_URL: 'http://simulator:7100',
      ONEACCESS_CLIENT_ID: 'client-0001',
      ONEACCESS_CLIENT_SECRET: 'secret',
    };
    expect(loadOneAccessConfig(server).publicUrl).toBe('http://simulator:7100');
    expect(
      loadOneAccessConfig({ ...server, ONEACCESS_PUBLIC_URL: 'http://localhost:7100' }),
    ).toMatchObject({ baseUrl: 'http://simulator:7100', publicUrl: 'http://localhost:7100' });
    expect(() => loadOneAccessConfig({ ONEACCESS_PUBLIC_URL: 'http://localhost:7100' })).toThrow(
      /ONEACCESS_PUBLIC_URL: needs ONEACCESS_BASE_URL/,
    );
    expect(() =>
      loadOneAccessConfig({ ...server, ONEACCESS_PUBLIC_URL: 'http://localhost:7100/x' }),
    ).toThrow(/ONEACCESS_PUBLIC_URL/);
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
});
