import { PRODUCTION_OK } from '../../test/helpers/production-env';
import { environmentProblems } from './config';
import { loadLoggingConfig } from './logging.config';
import { loadOneAccessConfig } from './oneaccess.config';
import { loadServerConfig } from './server.config';
import { loadSessionConfig } from './session.config';

const problems = environmentProblems;

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

  it('should default the server limits and refuse a request timeout below the headers timeout', () => {
    expect(loadServerConfig({})).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 300_000,
      bodyIdleTimeoutMs: 20_000,
      keepAliveTimeoutMs: 65_000,
      maxHeaderSize: 16_384,
    });
    expect(loadServerConfig({ SERVER_REQUEST_TIMEOUT_MS: '0' }).requestTimeoutMs).toBe(0);
    const text = problems({
      SERVER_HEADERS_TIMEOUT_MS: '20000',
      SERVER_REQUEST_TIMEOUT_MS: '15000',
      SERVER_MAX_HEADER_SIZE: '100',
    }).join('\n');
    expect(text).toContain('SERVER_MAX_HEADER_SIZE');
    expect(
      problems({ SERVER_HEADERS_TIMEOUT_MS: '20000', SERVER_REQUEST_TIMEOUT_MS: '15000' }),
    ).toEqual(['SERVER_REQUEST_TIMEOUT_MS: must be 0 or at least SERVER_HEADERS_TIMEOUT_MS']);
  });

  it('should name the JSON variable that does not parse and where it breaks', () => {
    const found = problems({ API_ROUTES: '{"orders": {"target": "http://o"},}', RATE_LIMITS: '{' });
    expect(found).toEqual([
      expect.stringMatching(/^API_ROUTES: not valid JSON at position 34 \(line 1, column 35\)/),
      expect.stringMatching(/^RATE_LIMITS: not valid JSON at position 1 \(line 1, column 2\)/),
    ]);
  });

  it('should refuse OPS_PORT equal to PORT and OPS_HOST without OPS_PORT', () => {
    expect(problems({ PORT: '3000', OPS_PORT: '3000' })).toEqual([
      'OPS_PORT: must differ from PORT',
    ]);
    expect(problems({ OPS_HOST: '127.0.0.1' })).toEqual(['OPS_HOST: needs OPS_PORT']);
  });

  it('should keep log pseudonyms across a SESSION_SECRETS rotation', () => {
    const before = loadLoggingConfig({ ...PRODUCTION_OK });
    const after = loadLoggingConfig({
      ...PRODUCTION_OK,
      SESSION_SECRETS: 'n3w-Zx8Lr2Vn5Xb7Kc1Mz9Pd3Tf6Hj0Ys4',
    });
    expect(after.hashKey.equals(before.hashKey)).toBe(true);
    const own = loadLoggingConfig({
      ...PRODUCTION_OK,
      LOG_HASH_KEY: 'h7Gf2Kd9Lm4Np1Qr8St3Vw6Xy0Za5Bc2De',
    });
    expect(own.hashKey.equals(before.hashKey)).toBe(false);
    expect(own.hashKeySource).toBe('LOG_HASH_KEY');
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
