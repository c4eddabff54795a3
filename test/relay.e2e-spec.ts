import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { BrowserClient, Recorded } from './helpers/browser-client';
import { EchoUpstream } from './helpers/echo-upstream';
import { simControl } from './helpers/flows';
import { CLOSED_ORIGIN } from './helpers/free-port';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { signedSessionCookie } from './helpers/session-cookie';
import { waitFor } from './helpers/wait-for';
import { JWT_IN_CLEAR } from './helpers/jwt-pattern';
import { RawReply, rawRequest } from './helpers/raw-http';

const SECRET = `relay-spec-${randomBytes(16).toString('hex')}`;
const ORIGIN = 'http://localhost:3000';
/** Under BASE_PATH=/portal the cookie has Path=/portal, so its default name is __Secure-, not __Host-. */
const COOKIE = '__Secure-bff';

/**
 * The token relay, `/api/<name>/<rest>` (docs/api.md section 5; docs/security.md checks 14, 17, 36, 37,
 * 48 and "complaint" 3), against a real upstream on loopback (EchoUpstream) with the gateway, the
 * simulator and Redis of startGatewayStack. Requests go out through node:http as written, so
 * `..`, `%2e%2e` and backslashes reach the gateway unnormalised, as an attacker would send them.
 *
 * Upstream answers are chosen so that none reflects the Authorization it received: what the
 * upstream saw is read from `EchoUpstream.seen`, and every response of this suite is scanned for
 * tokens at the end.
 */
describe('token relay /api/<name>/** (contract section 5)', () => {
  let stack: GatewayStack;
  let upstream: EchoUpstream;
  let cookie: string;
  const recorded: Recorded[] = [];

  /** One request exactly as given (path unnormalised), on a connection of its own, recorded. */
  async function raw(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string | Buffer,
  ): Promise<RawReply> {
    const reply = await rawRequest(stack.gateway.url, method, path, headers, body);
    recorded.push({ method, path, status: reply.status, headers: reply.headers, text: reply.text });
    return reply;
  }

  const withSession = (extra: Record<string, string> = {}) => ({ cookie, ...extra });
  const unsafe = (extra: Record<string, string> = {}) => ({
    cookie,
    'x-csrf': '1',
    origin: ORIGIN,
    ...extra,
  });

  /** Runs `fn` and returns what reached the upstream meanwhile. */
  async function seenDuring(fn: () => Promise<unknown>) {
    const before = upstream.seen.length;
    await fn();
    return upstream.seen.slice(before);
  }

  function expectError(res: RawReply, status: number, code: string): void {
    expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.location).toBeUndefined();
    expect(typeof res.body.request_id).toBe('string');
  }

  beforeAll(async () => {
    upstream = await new EchoUpstream().start();
    stack = await startGatewayStack({
      env: {
        BASE_PATH: '/portal',
        SESSION_SECRETS: SECRET,
        API_ROUTES: JSON.stringify({
          echo: { target: `${upstream.url}/svc`, forward_headers: ['x-custom'] },
          ro: { target: `${upstream.url}/ro`, methods: ['GET'] },
          open: { target: `${upstream.url}/open`, token: 'none' },
          oauth: { target: `${upstream.url}/oauth`, token: 'access_token' },
          slow: { target: `${upstream.url}/t`, timeout_ms: 300 },
          dead: { target: `${CLOSED_ORIGIN}/x` },
        }),
      },
    });
    const browser = new BrowserClient(stack.gateway.url, recorded);
    const login = await browser.post('/auth/login/password', {
      user_name: 'zhangsan',
      password: 'Passw0rd!2024',
    });
    expect(login.body.status).toBe('SUCCESS');
    cookie = `${COOKIE}=${browser.cookies.get(COOKIE)}`;
  });

  afterAll(async () => {
    await stack?.close();
    await upstream?.close();
  });

  it('should answer 401 UNAUTHENTICATED as JSON, never a redirect, without a live session', async () => {
    const seen = await seenDuring(async () => {
      expectError(await raw('GET', '/api/echo/status/200'), 401, 'UNAUTHENTICATED');
      expectError(
        await raw('GET', '/api/echo/status/200', { accept: 'text/html' }),
        401,
        'UNAUTHENTICATED',
      );
      expectError(
        await raw('GET', '/api/echo/status/200', { cookie: `${COOKIE}=s%3Aforged.signature` }),
        401,
        'UNAUTHENTICATED',
      );
      // Correctly signed, but naming no session.
      const unknown = signedSessionCookie(COOKIE, randomBytes(24).toString('base64url'), SECRET);
      expectError(
        await raw('GET', '/api/echo/status/200', { cookie: unknown }),
        401,
        'UNAUTHENTICATED',
      );
      expectError(
        await raw('POST', '/api/echo/status/200', { 'x-csrf': '1', origin: ORIGIN }),
        401,
        'UNAUTHENTICATED',
      );
      // A route that attaches no token still needs a signed-in session.
      expectError(await raw('GET', '/api/open/status/200'), 401, 'UNAUTHENTICATED');
    });
    expect(seen).toEqual([]);
  });

  it('should answer 404 NOT_FOUND for a route name that is not configured, with or without a session', async () => {
    const seen = await seenDuring(async () => {
      for (const path of [
        '/api/nope/status/200',
        '/api/nope',
        '/api',
        '/api/',
        '/api/ECHO/status/200',
        '/api/%65cho/status/200',
        '/api/echo@evil.example/status/200',
        '/api/echo\\..\\status/200',
        '/portal/api/nope/status/200',
        // Any other spelling of a configured route's prefix: the relay's 404, never Express's.
        '/API/echo/status/200',
        '//api/echo/status/200',
        '/%61pi/echo/status/200',
        '/api%2fecho/status/200',
        '/x/../api/echo/status/200',
        '/API',
      ]) {
        expectError(await raw('GET', path), 404, 'NOT_FOUND');
        expectError(await raw('GET', path, withSession()), 404, 'NOT_FOUND');
      }
    });
    expect(seen).toEqual([]);
  });

  it('should give the upstream the session id_token and none of the browser credentials or identity claims', async () => {
    let reply!: RawReply;
    const seen = await seenDuring(async () => {
      reply = await raw('GET', '/api/echo/hygiene/status/200?a=1&b=two%20words', {
        cookie: `${cookie}; other=1`,
        authorization: 'Bearer forged-by-the-browser',
        'x-csrf': '1',
        'x-forwarded-user': 'admin',
        'x-forwarded-email': 'admin@example.com',
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'gopher',
        forwarded: 'for=6.6.6.6;host=evil.example',
        'x-real-ip': '6.6.6.6',
        'x-custom': 'kept',
        connection: 'close, x-drop-me',
        'x-drop-me': '1',
      });
    });
    expect(reply.status).toBe(200);
    expect(seen).toHaveLength(1);
    const { url, headers } = seen[0];
    expect(url).toBe('/svc/hygiene/status/200?a=1&b=two%20words');

    // Exactly the id_token OneAccess issued for this login.
    const issued = await simControl<{ tokens: { kind: string; value: string }[] }>(
      stack.simulator,
      'GET',
      'issued-tokens',
    );
    const bearer = String(headers.authorization).replace(/^Bearer /, '');
    expect(headers.authorization).toBe(`Bearer ${bearer}`);
    expect(issued.tokens).toContainEqual({ kind: 'id_token', value: bearer });

    for (const name of [
      'cookie',
      'x-csrf',
      'x-forwarded-user',
      'x-forwarded-email',
      'forwarded',
      'x-real-ip',
      'x-drop-me',
    ]) {
      expect({ [name]: headers[name] }).toEqual({ [name]: undefined });
    }
    expect(headers['x-forwarded-for']).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('localhost:3000');
    expect(headers['x-request-id']).toBe(reply.headers['x-request-id']);
    expect(headers['x-custom']).toBe('kept');
  });

  it('should pass the upstream headers back to the browser except Set-Cookie', async () => {
    const res = await raw('GET', '/api/open/cookie', withSession());
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers['x-upstream']).toBe('yes');
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toMatchObject({ ok: true, url: '/open/cookie' });
  });

  it('should pass upstream error statuses through with their bodies', async () => {
    for (const status of [404, 418, 500, 503]) {
      const res = await raw('GET', `/api/echo/status/${status}`, withSession());
      expect({ status: res.status, body: res.body, upstream: res.headers['x-upstream'] }).toEqual({
        status,
        body: { status },
        upstream: 'yes',
      });
    }
  });

  it('should refuse .., encoded dots and slashes, backslashes and NUL with 400 before the upstream sees them', async () => {
    const seen = await seenDuring(async () => {
      for (const path of [
        '/api/echo/../status/200',
        '/api/echo/..',
        '/api/echo/a/../../status/200',
        '/api/echo/./status/200',
        '/api/echo/%2e%2e/status/200',
        '/api/echo/%2E%2E/%2E%2E/status/200',
        '/api/echo/.%2e/status/200',
        '/api/echo/%2e/status/200',
        '/api/echo/a%2Fstatus%2F200',
        '/api/echo/a%2f..%2fstatus/200',
        '/api/echo/a%5Cstatus/200',
        '/api/echo/..%5c..%5cstatus/200',
        '/api/echo/a\\..\\status/200',
        '/api/echo/a/..\\status/200',
        '/api/echo/a%00/status/200',
        '/api/echo/%zz/status/200',
        '/portal/api/echo/../status/200',
      ]) {
        const res = await raw('GET', path, withSession());
        expect({ path, status: res.status, code: res.body?.code }).toEqual({
          path,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      expectError(await raw('GET', '/api/echo/%2e%2e/status/200'), 400, 'VALIDATION_FAILED');
    });
    expect(seen).toEqual([]);
  });

  it('should refuse unsafe methods without X-CSRF or from another site with 403 CSRF_REJECTED', async () => {
    const seen = await seenDuring(async () => {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        expectError(
          await raw(method, '/api/echo/status/200', withSession({ origin: ORIGIN })),
          403,
          'CSRF_REJECTED',
        );
      }
      expectError(
        await raw('POST', '/api/echo/status/200', unsafe({ 'x-csrf': '0' })),
        403,
        'CSRF_REJECTED',
      );
      expectError(
        await raw('POST', '/api/echo/status/200', unsafe({ origin: 'https://evil.example' })),
        403,
        'CSRF_REJECTED',
      );
      expectError(
        await raw('POST', '/api/echo/status/200', unsafe({ 'sec-fetch-site': 'cross-site' })),
        403,
        'CSRF_REJECTED',
      );
    });
    expect(seen).toEqual([]);
    // The same call from the SPA passes.
    const ok = await seenDuring(async () =>
      expect((await raw('POST', '/api/echo/status/200', unsafe())).status).toBe(200),
    );
    expect(ok.map((s) => s.method)).toEqual(['POST']);
  });

  it('should answer 404 for a method the route does not list', async () => {
    const seen = await seenDuring(async () => {
      expectError(await raw('POST', '/api/ro/status/200', unsafe()), 404, 'NOT_FOUND');
      expectError(await raw('DELETE', '/api/ro/status/200', unsafe()), 404, 'NOT_FOUND');
      expect((await raw('GET', '/api/ro/status/200', withSession())).status).toBe(200);
    });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /ro/status/200']);
  });

  it('should attach no Authorization on a token "none" route, not even the browser one', async () => {
    const seen = await seenDuring(async () => {
      const res = await raw(
        'GET',
        '/api/open/status/200',
        withSession({ authorization: 'Bearer forged-by-the-browser' }),
      );
      expect(res.status).toBe(200);
    });
    expect(seen).toHaveLength(1);
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(seen[0].headers.cookie).toBeUndefined();
  });

  it('should answer 401 on an access_token route for a session that has no OAuth access token', async () => {
    const seen = await seenDuring(async () => {
      expectError(await raw('GET', '/api/oauth/status/200', withSession()), 401, 'UNAUTHENTICATED');
    });
    expect(seen).toEqual([]);
  });

  it('should answer 504 UPSTREAM_TIMEOUT naming the API when it is slower than the route timeout', async () => {
    const started = performance.now();
    const res = await raw('GET', '/api/slow/slow', withSession());
    const ms = performance.now() - started;
    expectError(res, 504, 'UPSTREAM_TIMEOUT');
    // The API was slow, not the sign-in: the message must not send a person there.
    expect(res.body.message).toBe('The API did not answer in time.');
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(5000);
  });

  it('should answer 503 UPSTREAM_UNAVAILABLE naming the API when it cannot be reached', async () => {
    const res = await raw('GET', '/api/dead/status/200', withSession());
    expectError(res, 503, 'UPSTREAM_UNAVAILABLE');
    expect(res.body.message).toBe('The API is unavailable. Try again shortly.');
  });

  it('should forward the query string exactly as sent', async () => {
    const query = '?a=1&a=2&q=%2F..%2F&empty=&u=%E4%B8%AD&plus=a+b';
    const seen = await seenDuring(async () => {
      expect((await raw('GET', `/api/echo/q/status/200${query}`, withSession())).status).toBe(200);
      // An empty rest is the target itself (on a token-less route: that answer is an echo).
      expect((await raw('GET', `/api/open${query}`, withSession())).status).toBe(200);
    });
    expect(seen.map((s) => s.url)).toEqual([`/svc/q/status/200${query}`, `/open${query}`]);
  });

  it('should relay under BASE_PATH as well as without it', async () => {
    const seen = await seenDuring(async () => {
      expect((await raw('GET', '/portal/api/echo/base/status/200', withSession())).status).toBe(
        200,
      );
      expectError(await raw('GET', '/portal/api/echo/base/status/200'), 401, 'UNAUTHENTICATED');
      expect((await raw('POST', '/portal/api/echo/base/status/201', unsafe())).status).toBe(201);
    });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /svc/base/status/200',
      'POST /svc/base/status/201',
    ]);
  });

  it('should pass request bodies through untouched, whatever their type and beyond the /auth limit', async () => {
    const body = randomBytes(100 * 1024);
    const seen = await seenDuring(async () => {
      const res = await raw(
        'PUT',
        '/api/echo/status/201',
        unsafe({ 'content-type': 'text/plain' }),
        body,
      );
      expect(res.status).toBe(201);
    });
    expect(seen).toHaveLength(1);
    expect(seen[0].bytes).toBe(body.length);
    expect(seen[0].sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(seen[0].headers['content-type']).toBe('text/plain');
  });

  it('should carry on serving when browsers leave before the upstream answers', async () => {
    const { port } = new URL(stack.gateway.url);
    /** Relayed calls of route echo counted as 499 (a call left unanswered). */
    const echo4xx = async () => {
      const text = (await raw('GET', '/metrics')).text;
      const line = text.match(/^bff_relay_requests_total\{route="echo",status="499"\} (\d+)/m);
      return line ? Number(line[1]) : 0;
    };
    const counted = await echo4xx();
    const before = upstream.seen.length;
    const leaving = Array.from({ length: 3 }, () => {
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        path: '/api/echo/held',
        headers: { cookie },
        agent: false,
      });
      req.on('error', () => undefined);
      req.end();
      return req;
    });
    await waitFor(
      () => upstream.seen.length - before >= 3,
      5000,
      'the held calls to reach the upstream',
    );
    for (const req of leaving) req.destroy();
    await waitFor(
      async () => (await raw('GET', '/healthz')).status === 200,
      5000,
      'healthz after the browsers left',
    );
    // Counted (and logged) as 499 when they closed, not as whatever the upstream says later.
    await waitFor(async () => (await echo4xx()) === counted + 3, 5000, 'the left calls counted');
    // The upstream answers now, to nobody: the gateway drops those answers and carries on.
    expect(upstream.answerHeld()).toBe(3);
    for (let i = 0; i < 5; i++)
      expect((await raw('GET', '/api/echo/after/status/200', withSession())).status).toBe(200);
  });

  it('should carry on serving after browsers disconnect in the middle of downloads', async () => {
    const { port } = new URL(stack.gateway.url);
    const abandon = () =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/api/echo/bytes/104857600',
            headers: { cookie },
            agent: false,
          },
          (res) => {
            let got = 0;
            res.on('data', (chunk: Buffer) => {
              got += chunk.length;
              if (got >= 256 * 1024) req.destroy();
            });
            res.on('error', () => undefined);
            req.on('close', () => resolve(got));
          },
        );
        req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
        req.end();
      });
    const received = await Promise.all([abandon(), abandon(), abandon()]);
    for (const got of received) {
      expect(got).toBeGreaterThanOrEqual(256 * 1024);
      expect(got).toBeLessThan(104857600);
    }
    // The gateway is alive and relays as before.
    await waitFor(async () => (await raw('GET', '/healthz')).status === 200, 5000, 'healthz');
    expect((await raw('GET', '/api/echo/after/status/200', withSession())).status).toBe(200);
    const small = await raw('GET', '/api/echo/bytes/1000', withSession());
    expect(small.status).toBe(200);
    expect(small.text).toHaveLength(1000);
  });

  it('should never reveal a token the simulator issued in any response of this suite', async () => {
    const issued = await simControl<{ tokens: { kind: string; value: string }[] }>(
      stack.simulator,
      'GET',
      'issued-tokens',
    );
    const secrets = issued.tokens.filter((t) => t.kind !== 'captcha');
    expect(secrets.map((t) => t.kind)).toContain('id_token');
    expect(secrets.map((t) => t.kind)).toContain('session_token');
    expect(recorded.length).toBeGreaterThan(60);
    const leaks: string[] = [];
    for (const r of recorded) {
      const text = `${JSON.stringify(r.headers)}\n${r.text}`;
      for (const t of secrets)
        if (text.includes(t.value)) leaks.push(`${t.kind} in ${r.method} ${r.path}`);
      if (JWT_IN_CLEAR.test(text)) leaks.push(`a JWT in ${r.method} ${r.path}`);
      if (text.includes('forged-by-the-browser'))
        leaks.push(`the browser's Authorization in ${r.method} ${r.path}`);
    }
    expect(leaks).toEqual([]);
  });
});
