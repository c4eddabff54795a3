import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { BrowserClient } from './helpers/browser-client';
import { createTestApp, TestApp } from './helpers/create-test-app';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { rawRequest, RawReply } from './helpers/raw-http';

const ADMIN_TOKEN = 'input-hardening-admin-token-0123456789abcdef';
const ZHANGSAN_ID = '20210621095935811-5E16-6B3060ABC';

const JSON_HEADERS = { 'content-type': 'application/json', 'x-csrf': '1' };

/** The contract's error, with the security headers and the request id of this answer. */
function expectHardenedError(res: RawReply, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['cache-control']).toBe('no-store');
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(body).toMatchObject({ code, message: expect.any(String) });
  expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.headers['x-request-id']).toBe(body.request_id);
}

describe('Input hardening on /auth and framework answers', () => {
  let stack: GatewayStack;
  let url: string;

  beforeAll(async () => {
    stack = await startGatewayStack({ env: { TRUST_PROXY: 'loopback', ADMIN_TOKEN } });
    url = stack.gateway.url;
  });
  afterAll(() => stack.close());

  describe('bodies', () => {
    it('should refuse deeply nested JSON with 400 VALIDATION_FAILED, never a 500', async () => {
      const deep = `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      for (const path of ['/auth/login/password', '/auth/register', '/auth/captcha/verify']) {
        expectHardenedError(
          await rawRequest(url, 'POST', path, JSON_HEADERS, deep),
          400,
          'VALIDATION_FAILED',
        );
      }
      // modest nesting is a validation matter as usual
      const shallow = await rawRequest(
        url,
        'POST',
        '/auth/login/password',
        JSON_HEADERS,
        '{"a":[[1]]}',
      );
      expectHardenedError(shallow, 400, 'VALIDATION_FAILED');
    });

    it('should check CSRF before reading or validating the body', async () => {
      const deep = `${'['.repeat(5000)}`;
      const res = await rawRequest(
        url,
        'POST',
        '/auth/login/password',
        { 'content-type': 'application/json' },
        deep,
      );
      expectHardenedError(res, 403, 'CSRF_REJECTED');
    });

    it('should refuse any charset but UTF-8 with 415', async () => {
      // "+AHs-" is "{" in UTF-7: the body would decode into JSON another charset never shows
      for (const charset of ['utf-7', 'iso-8859-1', 'utf-16le']) {
        const res = await rawRequest(
          url,
          'POST',
          '/auth/login/password',
          { ...JSON_HEADERS, 'content-type': `application/json; charset=${charset}` },
          '+AHsAIg-user_name+ACI-:+ACI-x+ACIAfQ-',
        );
        expectHardenedError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      }
      const utf8 = await rawRequest(
        url,
        'POST',
        '/auth/login/password',
        { ...JSON_HEADERS, 'content-type': 'application/json; charset=UTF-8' },
        '{"user_name":"nobody-utf8","password":"x"}',
      );
      expect(utf8.status).toBe(401);
    });

    it('should refuse a Content-Encoding on /auth with 415', async () => {
      const body = gzipSync('{"user_name":"zhangsan","password":"x"}');
      const res = await rawRequest(
        url,
        'POST',
        '/auth/login/password',
        { ...JSON_HEADERS, 'content-encoding': 'gzip' },
        body,
      );
      expectHardenedError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('framework answers', () => {
    it('should answer a malformed percent-escape with the contract error, after the CSRF check', async () => {
      const path = '/auth/social/accounts/%E0%A4%A';
      expectHardenedError(await rawRequest(url, 'DELETE', path), 403, 'CSRF_REJECTED');
      expectHardenedError(
        await rawRequest(url, 'DELETE', path, { 'x-csrf': '1' }),
        400,
        'VALIDATION_FAILED',
      );
      expectHardenedError(await rawRequest(url, 'GET', '/%E0%A4%A'), 400, 'VALIDATION_FAILED');
      // Every spelling Express would route under /auth is in the CSRF scope too.
      for (const spelling of ['/AUTH/social/accounts/%E0%A4%A', '//auth/social/accounts/%E0%A4%A'])
        expectHardenedError(await rawRequest(url, 'DELETE', spelling), 403, 'CSRF_REJECTED');
    });

    it('should answer a request Node cannot parse in the contract shape, with the headers', async () => {
      const { hostname, port } = new URL(url);
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () =>
          socket.write('GET /auth/session HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
        );
        let data = '';
        socket.on('data', (c: Buffer) => (data += c.toString('utf8')));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      const [head, body] = reply.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(head).toMatch(/\r\nX-Content-Type-Options: nosniff/);
      expect(head).toMatch(/\r\nStrict-Transport-Security: max-age=\d+/);
      const id = /\r\nX-Request-Id: ([0-9a-f-]{36})/.exec(head)?.[1];
      expect(JSON.parse(body)).toMatchObject({ code: 'VALIDATION_FAILED', request_id: id });
    });

    it('should answer OPTIONS * with a contract 404', async () => {
      expectHardenedError(await rawRequest(url, 'OPTIONS', '*'), 404, 'NOT_FOUND');
    });

    it('should give body-parser failures and unknown routes the headers and a request id', async () => {
      expectHardenedError(
        await rawRequest(url, 'POST', '/auth/login/password', JSON_HEADERS, '{"user_name":'),
        400,
        'VALIDATION_FAILED',
      );
      expectHardenedError(await rawRequest(url, 'GET', '/nowhere'), 404, 'NOT_FOUND');
      expectHardenedError(
        await rawRequest(url, 'POST', '/auth/nowhere', JSON_HEADERS, '{}'),
        404,
        'NOT_FOUND',
      );
    });
  });

  describe('forwarded facts', () => {
    it('should keep a sane X-Request-Id from a trusted proxy only', async () => {
      const kept = await rawRequest(url, 'GET', '/auth/session', {
        'x-request-id': 'proxy-req-12345',
      });
      expect(kept.headers['x-request-id']).toBe('proxy-req-12345');
      const insane = await rawRequest(url, 'GET', '/auth/session', {
        'x-request-id': '<script>alert(1)',
      });
      expect(insane.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

      let untrusted: TestApp | undefined;
      try {
        untrusted = await createTestApp({
          REDIS_URL: stack.redisUrl,
          REDIS_KEY_PREFIX: stack.keyPrefix,
          ONEACCESS_BASE_URL: stack.simulator.url,
          ONEACCESS_CLIENT_ID: stack.simulator.clientId,
          ONEACCESS_CLIENT_SECRET: stack.simulator.clientSecret,
        });
        const res = await rawRequest(untrusted.url, 'GET', '/auth/session', {
          'x-request-id': 'proxy-req-12345',
        });
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        // framework errors too
        const missing = await rawRequest(untrusted.url, 'GET', '/nowhere', {
          'x-request-id': 'proxy-req-12345',
        });
        expect(JSON.parse(missing.text).request_id).not.toBe('proxy-req-12345');
      } finally {
        await untrusted?.close();
      }
    });

    it('should ignore forwarded entries that are not IP addresses', async () => {
      const cases: Array<[string, string]> = [
        ['<script>', '127.0.0.1'],
        ['203.0.113.9, <script>', '127.0.0.1'],
        ['unknown, 203.0.113.10', '203.0.113.10'],
      ];
      for (const [forwarded, expected] of cases) {
        const b = new BrowserClient(url);
        b.headers['X-Forwarded-For'] = forwarded;
        expect(
          (
            await b.post('/auth/login/password', {
              user_name: 'zhangsan',
              password: 'Passw0rd!2024',
            })
          ).status,
        ).toBe(200);
        const admin = await rawRequest(url, 'GET', `/admin/sessions?user_id=${ZHANGSAN_ID}`, {
          authorization: `Bearer ${ADMIN_TOKEN}`,
        });
        const sessions = (
          JSON.parse(admin.text) as { sessions: Array<{ ip: string; created_at: string }> }
        ).sessions;
        const newest = sessions.sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
        expect(newest.ip).toBe(expected);
      }
    });
  });
});
