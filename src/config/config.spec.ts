import { environmentProblems } from './config';
import { loadLoggingConfig } from './logging.config';
import { loadOneAccessConfig } from './oneaccess.config';
import { loadSecurityConfig } from './security.config';
import { loadServerConfig } from './server.config';
import { loadSessionConfig } from './session.config';
import { loadUpstreamsConfig } from './upstreams.config';

const problems = environmentProblems;

const PRODUCTION_OK = {
  NODE_ENV: 'production',
  PUBLIC_ORIGIN: 'https://portal.example.com',
  REDIS_URL: 'redis://redis:6379',
  ONEACCESS_BASE_URL: 'https://abcdefg.huaweioneaccess.com',
  ONEACCESS_CLIENT_ID: 'DRrYIqauawN0I8myTMoDTPys6ezGZxnm',
  ONEACCESS_CLIENT_SECRET: 'k9S2m4Q7x1V8b3N6c5Z0a2L4j7H9g1F3',
  SESSION_SECRETS: 'wq8Lr2Vn5Xb7Kc1Mz9Pd3Tf6Hj0Ys4Ga',
  SESSION_ENCRYPTION_KEYS: 'q3Vw0Zr8dXk1LmN7bT2yHs9aJcE5fPg4RiO6uWx+Dz0=',
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

  it('should refuse unknown API_ROUTES keys, naming the route and the key and suggesting the right one', () => {
    const routes = JSON.stringify({
      orders: { target: 'http://orders:8080', timeout: 5000 },
      files: { target: 'http://files:8080', maxConnections: 4, colour: 'blue' },
    });
    const text = problems({ API_ROUTES: routes }).join('\n');
    expect(text).toContain('API_ROUTES.orders: unknown key "timeout" (did you mean "timeout_ms"?)');
    expect(text).toContain(
      'API_ROUTES.files: unknown key "maxConnections" (did you mean "max_connections"?)',
    );
    expect(text).toMatch(/API_ROUTES\.files: unknown key "colour"; known keys: target, token/);
  });

  it('should give each route its pool size and forwarded headers, defaults included', () => {
    const cfg = loadUpstreamsConfig({
      API_ROUTES: JSON.stringify({
        a: { target: 'http://a' },
        b: { target: 'http://b', max_connections: 8, forward_headers: ['X-Tenant'] },
      }),
    });
    expect(cfg.routes.get('a')).toMatchObject({ maxConnections: 64 });
    expect(cfg.routes.get('a')!.forwardHeaders.has('x-tenant')).toBe(false);
    expect(cfg.routes.get('b')).toMatchObject({ maxConnections: 8 });
    expect([...cfg.routes.get('b')!.forwardHeaders]).toEqual(
      expect.arrayContaining(['accept', 'content-type', 'range', 'if-none-match', 'x-tenant']),
    );
    expect(cfg).toMatchObject({
      maxConcurrentPerSession: 16,
      queuePerSession: 64,
      queueWaitMs: 10_000,
    });
    expect(
      loadUpstreamsConfig({
        RELAY_MAX_CONCURRENT_PER_SESSION: '4',
        RELAY_QUEUE_PER_SESSION: '0',
        RELAY_QUEUE_WAIT_MS: '500',
      }),
    ).toMatchObject({ maxConcurrentPerSession: 4, queuePerSession: 0, queueWaitMs: 500 });
  });

  it('should refuse identity, routing and method-override names in forward_headers and bad pool sizes', () => {
    const routes = JSON.stringify({
      a: {
        target: 'http://a',
        forward_headers: ['X-Original-URL', 'x-auth-user', 'X-HTTP-Method-Override', 'Cookie'],
        max_connections: 0,
      },
      b: { target: 'http://b', forward_headers: 'x-tenant' },
    });
    const text = problems({ API_ROUTES: routes }).join('\n');
    for (const name of ['X-Original-URL', 'x-auth-user', 'X-HTTP-Method-Override', 'Cookie'])
      expect(text).toContain(`API_ROUTES.a.forward_headers: "${name}" is an identity`);
    expect(text).toContain('API_ROUTES.a.max_connections: must be an integer from 1 to 4096');
    expect(text).toContain('API_ROUTES.b.forward_headers: must be a list of header names');
    expect(problems({ RELAY_MAX_CONCURRENT_PER_SESSION: '0' }).join('\n')).toContain(
      'RELAY_MAX_CONCURRENT_PER_SESSION',
    );
    const queue = problems({ RELAY_QUEUE_PER_SESSION: '-1', RELAY_QUEUE_WAIT_MS: '10' }).join('\n');
    expect(queue).toContain('RELAY_QUEUE_PER_SESSION');
    expect(queue).toContain('RELAY_QUEUE_WAIT_MS');
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

  it('should merge RATE_LIMITS over the defaults, and switch them off with "off"', () => {
    expect(loadUpstreamsConfig({ RATE_LIMITS: '{"login_per_ip":5}' }).rateLimits).toMatchObject({
      login_per_ip: 5,
      login_per_account: 10,
    });
    expect(loadUpstreamsConfig({ RATE_LIMITS: 'off' }).rateLimits).toBeNull();
    expect(() => loadUpstreamsConfig({ RATE_LIMITS: '{"nope":1}' })).toThrow(/RATE_LIMITS.nope/);
  });

  it('should group IPv6 clients by /64 unless RATE_LIMIT_IPV6_PREFIX says otherwise, within 16-128', () => {
    expect(loadUpstreamsConfig({}).ipv6Prefix).toBe(64);
    expect(loadUpstreamsConfig({ RATE_LIMIT_IPV6_PREFIX: '56' }).ipv6Prefix).toBe(56);
    for (const bad of ['8', '129', 'x', '64.5'])
      expect(() => loadUpstreamsConfig({ RATE_LIMIT_IPV6_PREFIX: bad })).toThrow(
        /RATE_LIMIT_IPV6_PREFIX/,
      );
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
      for (const value of [
        '0.0.0.0/0,::/0',
        '::/0',
        '10.0.0.0/8, 0.0.0.0/0',
        // split catch-alls: the union of the ranges is what counts
        '0.0.0.0/1,128.0.0.0/1,::/1,8000::/1',
        '::ffff:0:0/96',
      ]) {
        expect(problems({ TRUST_PROXY: value })).toEqual([
          expect.stringMatching(
            /^TRUST_PROXY: the ranges together trust every IPv[46]\b.* address/,
          ),
        ]);
      }
    });

    it('should turn what proxy-addr cannot compile into a config message', () => {
      for (const value of ['10.0.0.0/33', '1.2.3', '::1/200'])
        expect(problems({ TRUST_PROXY: value })).toEqual([expect.stringMatching(/^TRUST_PROXY: /)]);
    });
  });
});
