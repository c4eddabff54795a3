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

  it('should read the OIDC, client-authentication and logout settings with their defaults', () => {
    expect(loadOneAccessConfig({})).toMatchObject({
      oauthPkce: true,
      clientAuth: 'client_secret_post',
      logoutStyle: 'global',
      oauthJwksUrl: undefined,
      oauthIssuer: undefined,
    });
    expect(
      loadOneAccessConfig({
        OAUTH_PKCE: 'false',
        ONEACCESS_CLIENT_AUTH: 'client_secret_basic',
        LOGOUT_STYLE: 'cas',
        OAUTH_JWKS_URL: 'https://idp.example.com/keys',
        OAUTH_ISSUER: 'https://idp.example.com',
      }),
    ).toMatchObject({
      oauthPkce: false,
      clientAuth: 'client_secret_basic',
      logoutStyle: 'cas',
      oauthJwksUrl: 'https://idp.example.com/keys',
      oauthIssuer: 'https://idp.example.com',
    });
    const found = problems({
      OAUTH_PKCE: 'maybe',
      ONEACCESS_CLIENT_AUTH: 'private_key_jwt',
      LOGOUT_STYLE: 'saml',
      OAUTH_JWKS_URL: 'ftp://x',
    }).join('\n');
    for (const name of ['OAUTH_PKCE', 'ONEACCESS_CLIENT_AUTH', 'LOGOUT_STYLE', 'OAUTH_JWKS_URL'])
      expect(found).toContain(name);
  });
});
