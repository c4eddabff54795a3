import { EchoUpstream } from './helpers/echo-upstream';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { RawReply, rawRequest } from './helpers/raw-http';
import { COOKIE, ORIGIN, passwordLogin } from './security/helpers';

/**
 * The relay hardening of contract section 5, each attack that was shown against it replayed over
 * real HTTP: paths that climb on Tomcat/Spring-style upstreams, identity and routing headers, an
 * upstream's permissive CORS answer, and a `/` in the query string.
 */
describe('relay hardening (contract section 5)', () => {
  let stack: GatewayStack;
  let upstream: EchoUpstream;
  let cookie: string;

  const get = (path: string, headers: Record<string, string> = {}): Promise<RawReply> =>
    rawRequest(stack.gateway.url, 'GET', path, { cookie, ...headers });

  /** Runs `fn` and returns the URLs that reached the upstream meanwhile. */
  async function reachedDuring(fn: () => Promise<unknown>): Promise<string[]> {
    const before = upstream.seen.length;
    await fn();
    return upstream.seen.slice(before).map((s) => s.url);
  }

  beforeAll(async () => {
    upstream = await new EchoUpstream().start();
    stack = await startGatewayStack({
      env: {
        API_ROUTES: JSON.stringify({
          echo: { target: `${upstream.url}/svc` },
          tenant: {
            target: `${upstream.url}/tn`,
            forward_headers: ['X-Tenant', 'X-Api-Version'],
          },
        }),
      },
    });
    const browser = await passwordLogin(stack.gateway.url);
    cookie = `${COOKIE}=${browser.cookies.get(COOKIE)}`;
  });

  afterAll(async () => {
    await stack?.close();
    await upstream?.close();
  });

  it.each([
    '/api/echo/..;/x',
    '/api/echo/x;a=b/..;/y',
    '/api/echo/%2e%2e;/x',
    '/api/echo/..%3b/x',
    '/api/echo/%252e%252e/x',
    '/api/echo/a/%252E%252e%252fadmin',
    '/api/echo/.;/x',
    '/api/echo/..;jsessionid=abc/x',
  ])('should refuse %s with 400 VALIDATION_FAILED and never forward it', async (path) => {
    let res!: RawReply;
    const reached = await reachedDuring(async () => {
      res = await get(path);
    });
    expect({ status: res.status, code: res.body?.code }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(reached).toEqual([]);
  });

  it('should still relay paths whose segments only contain dots or semicolons', async () => {
    const reached = await reachedDuring(async () => {
      for (const path of ['/api/echo/v1.2/a..b', '/api/echo/x;a=b/y', '/api/echo/...'])
        expect((await get(path)).status).toBe(200);
    });
    expect(reached).toEqual(['/svc/v1.2/a..b', '/svc/x;a=b/y', '/svc/...']);
  });

  it('should take a / in the query string as part of the query, with or without a path', async () => {
    const reached = await reachedDuring(async () => {
      expect((await get('/api/echo?a=/b')).status).toBe(200);
      expect((await get('/api/echo/x?next=/../y&a=/b')).status).toBe(200);
    });
    expect(reached).toEqual(['/svc?a=/b', '/svc/x?next=/../y&a=/b']);
  });

  it('should forward no identity, routing or method-override header, even on a route with forward_headers', async () => {
    const attack = {
      'X-Original-URL': '/admin',
      'X-Rewrite-URL': '/admin',
      'True-Client-IP': '10.0.0.1',
      'X-Client-IP': '10.0.0.1',
      'X-Userinfo': 'eyJzdWIiOiJhZG1pbiJ9',
      'X-Auth-User': 'admin',
      'X-Authenticated-User': 'admin',
      'X-Access-Token': 'forged',
      'X-Id-Token': 'forged',
      'X-Forwarded-Server': 'internal',
      'X-Forwarded-Uri': '/admin',
      'X-Original-Forwarded-For': '10.0.0.1',
      'X-HTTP-Method-Override': 'DELETE',
      'X-Method-Override': 'DELETE',
      'X-Device-Ip': '10.0.0.1',
      'X-Unlisted': 'no',
    };
    const before = upstream.seen.length;
    for (const path of ['/api/echo/h', '/api/tenant/h']) {
      const res = await get(path, {
        ...attack,
        Accept: 'application/json',
        'If-None-Match': '"v1"',
        'X-Tenant': 't-1',
        'X-Api-Version': '2',
      });
      expect(res.status).toBe(200);
    }
    const [echo, tenant] = upstream.seen.slice(before);
    for (const seen of [echo, tenant]) {
      for (const name of Object.keys(attack))
        expect({ [name]: seen.headers[name.toLowerCase()] }).toEqual({ [name]: undefined });
      expect(seen.headers.accept).toBe('application/json');
      expect(seen.headers['if-none-match']).toBe('"v1"');
      expect(seen.method).toBe('GET');
      expect(seen.headers['x-forwarded-for']).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
      expect(seen.headers['x-forwarded-host']).toBe('localhost:3000');
      expect(seen.headers['x-forwarded-proto']).toBe('http');
      expect(seen.headers.authorization).toMatch(/^Bearer /);
    }
    // Only the route that lists them gets its own headers.
    expect([echo.headers['x-tenant'], echo.headers['x-api-version']]).toEqual([
      undefined,
      undefined,
    ]);
    expect([tenant.headers['x-tenant'], tenant.headers['x-api-version']]).toEqual(['t-1', '2']);
  });

  it('should forward the body headers of an upload', async () => {
    const before = upstream.seen.length;
    const res = await rawRequest(
      stack.gateway.url,
      'PUT',
      '/api/echo/file',
      {
        cookie,
        'x-csrf': '1',
        origin: ORIGIN,
        'content-type': 'text/csv',
        'content-length': '7',
        'x-http-method-override': 'DELETE',
      },
      'a,b\n1,2',
    );
    expect(res.status).toBe(200);
    const seen = upstream.seen[before];
    expect(seen).toMatchObject({ method: 'PUT', bytes: 7 });
    expect(seen.headers['content-type']).toBe('text/csv');
    expect(seen.headers['content-length']).toBe('7');
    expect(seen.headers['x-http-method-override']).toBeUndefined();
  });

  it("should strip an upstream's Access-Control-* headers (and Set-Cookie) from the answer", async () => {
    const res = await get('/api/echo/cors/cookie', { origin: 'https://evil.example' });
    expect(res.status).toBe(200);
    expect(res.headers['x-upstream']).toBe('yes');
    expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
