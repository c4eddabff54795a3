import request from 'supertest';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { rawRequest } from './helpers/raw-http';

describe('request hygiene (contract sections 1, 2 and 6)', () => {
  let stack: GatewayStack;
  let url: string;

  beforeAll(async () => {
    // TRUST_PROXY: a request id is kept only from a trusted proxy (here the test, on loopback).
    stack = await startGatewayStack({ env: { AUTH_BODY_LIMIT: '16kb', TRUST_PROXY: 'loopback' } });
    url = stack.gateway.url;
  });
  afterAll(() => stack.close());

  function expectError(res: request.Response, status: number, code: string): void {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toMatchObject({ code, request_id: res.headers['x-request-id'] });
    expect(typeof res.body.message).toBe('string');
    expect(res.headers['cache-control']).toBe('no-store');
  }

  it('should answer the anonymous session view with JSON, no-store and a request id', async () => {
    const res = await request(url).get('/auth/session');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toEqual({
      authenticated: false,
      status: 'ANONYMOUS',
      user: null,
      login_method: null,
      pending: null,
      expires_at: null,
      idle_expires_at: null,
    });
    // an anonymous look creates no session and no cookie
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('should send the security headers and no X-Powered-By', async () => {
    const res = await request(url).get('/auth/session');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('should keep a well-formed request id from the proxy and replace a malformed one', async () => {
    const kept = await request(url).get('/auth/session').set('X-Request-Id', 'proxy-req-12345');
    expect(kept.headers['x-request-id']).toBe('proxy-req-12345');
    const replaced = await request(url)
      .get('/auth/session')
      .set('X-Request-Id', 'bad id\twith junk');
    expect(replaced.headers['x-request-id']).not.toContain('bad');
  });

  it("should keep a trusted proxy's request id on every path, in the header and the error body", async () => {
    // The session view's fast path, the relay, Express, and the front door's own refusals (a
    // malformed escape, `OPTIONS *`): one context, one id rule.
    const asked: Array<[string, string, number]> = [
      ['GET', '/auth/session', 200],
      ['GET', '/api/nope', 404],
      ['GET', '/auth/profile', 401],
      ['GET', '/auth/%zz', 400],
      ['OPTIONS', '*', 404],
    ];
    for (const [i, [method, path, status]] of asked.entries()) {
      const id = `proxy-req-${i}-abcdef`;
      const res = await rawRequest(url, method, path, { 'x-request-id': id });
      expect({ path, status: res.status, id: res.headers['x-request-id'] }).toEqual({
        path,
        status,
        id,
      });
      if (status >= 400) expect(res.body.request_id).toBe(id);
    }
  });

  describe('CSRF', () => {
    it('should refuse an unsafe request without X-CSRF: 1', async () => {
      expectError(await request(url).post('/auth/logout'), 403, 'CSRF_REJECTED');
      expectError(await request(url).post('/auth/logout').set('X-CSRF', '0'), 403, 'CSRF_REJECTED');
    });

    it('should refuse cross-site and same-site fetch metadata even with the header', async () => {
      for (const site of ['cross-site', 'same-site']) {
        const res = await request(url)
          .post('/auth/logout')
          .set('X-CSRF', '1')
          .set('Sec-Fetch-Site', site);
        expectError(res, 403, 'CSRF_REJECTED');
      }
    });

    it('should refuse a foreign or null Origin even with the header', async () => {
      for (const origin of ['https://evil.example', 'http://localhost:3000.evil.example', 'null']) {
        const res = await request(url)
          .post('/auth/logout')
          .set('X-CSRF', '1')
          .set('Origin', origin);
        expectError(res, 403, 'CSRF_REJECTED');
      }
    });

    it('should let a same-origin request with the header through to the route', async () => {
      const res = await request(url)
        .post('/auth/no-such-endpoint')
        .set('X-CSRF', '1')
        .set('Origin', 'http://localhost:3000')
        .set('Sec-Fetch-Site', 'same-origin');
      expectError(res, 404, 'NOT_FOUND');
    });

    it('should not apply to safe methods', async () => {
      const res = await request(url)
        .get('/auth/session')
        .set('Sec-Fetch-Site', 'cross-site')
        .set('Origin', 'https://evil.example');
      expect(res.status).toBe(200);
    });
  });

  describe('bodies', () => {
    const post = () => request(url).post('/auth/no-such-endpoint').set('X-CSRF', '1');

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
      'should refuse a %s body with 415',
      async (type) => {
        expectError(
          await post().set('Content-Type', type).send('a=b'),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        );
      },
    );

    it('should refuse a body over AUTH_BODY_LIMIT with 413', async () => {
      const big = JSON.stringify({ user_name: 'x'.repeat(17 * 1024) });
      expectError(
        await post().set('Content-Type', 'application/json').send(big),
        413,
        'PAYLOAD_TOO_LARGE',
      );
    });

    it('should refuse malformed JSON with 400 and not echo it', async () => {
      const res = await post()
        .set('Content-Type', 'application/json')
        .send('{"password": "hunter2",');
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(res.body)).not.toContain('hunter2');
    });

    it('should accept a body-less POST without Content-Type', async () => {
      expectError(await post(), 404, 'NOT_FOUND');
    });
  });

  describe('validation', () => {
    it('should refuse a bad query value with per-field errors', async () => {
      const res = await request(url).get('/auth/session?slide=maybe');
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'slide', message: expect.any(String) }]);
    });

    it('should refuse unknown fields instead of ignoring them', async () => {
      const res = await request(url).get('/auth/session?sid=abc');
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors[0].field).toBe('sid');
    });
  });

  it('should answer unknown routes with a JSON 404', async () => {
    expectError(await request(url).get('/no/such/route'), 404, 'NOT_FOUND');
    expectError(await request(url).get('/auth/nothing-here'), 404, 'NOT_FOUND');
  });
});

describe('BASE_PATH', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack({ env: { BASE_PATH: '/portal' } });
  });
  afterAll(() => stack.close());

  it('should serve the same routes under the configured prefix and without it', async () => {
    expect((await request(stack.gateway.url).get('/portal/auth/session')).body.status).toBe(
      'ANONYMOUS',
    );
    expect((await request(stack.gateway.url).get('/healthz')).status).toBe(200);
    expect((await request(stack.gateway.url).get('/portalx/auth/session')).status).toBe(404);
  });
});
