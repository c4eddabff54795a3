import { Logger } from '@nestjs/common';
import request from 'supertest';
import { ADMIN_FAILURES_PER_ADDRESS } from '../src/modules/admin/admin.guard';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { rawRequest } from './helpers/raw-http';

const ADMIN_TOKEN = 'admin-auth-suite-token-0123456789abcdef';
const WRONG = 'not-the-admin-token-but-close-0123456789';

describe('Admin authentication: failures audited and limited per address', () => {
  let stack: GatewayStack;
  let ip = 0;
  let warn: jest.SpyInstance;
  const from = (address = `203.0.113.${++ip}`) => ({
    list: (authorization?: string) => {
      const req = request(stack.gateway.url)
        .get('/admin/sessions?user_id=nobody')
        .set('X-Forwarded-For', address);
      return authorization ? req.set('Authorization', authorization) : req;
    },
  });
  const auditLines = () =>
    warn.mock.calls
      .map((c) => c[0] as Record<string, unknown>)
      .filter((l) => l?.audit === 'admin_auth_failed');

  beforeAll(async () => {
    stack = await startGatewayStack({
      env: { ADMIN_TOKEN, TRUST_PROXY: 'loopback', RATE_LIMITS: '{}' },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn');
  });
  afterEach(() => warn.mockRestore());

  it('should audit a wrong or missing token without the token itself', async () => {
    const client = from();
    expect((await client.list(`Bearer ${WRONG}`)).status).toBe(401);
    expect((await client.list()).status).toBe(401);
    const lines = auditLines();
    expect(lines.map((l) => l.reason)).toEqual(['wrong_token', 'missing_token']);
    expect(lines[0]).toMatchObject({
      method: 'GET',
      path: '/admin/sessions',
      client: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(JSON.stringify(lines)).not.toContain(WRONG);
    expect(JSON.stringify(lines)).not.toContain('203.0.113.');
  });

  it('should refuse an address with 429 after too many wrong tokens, even with the right one', async () => {
    const guesser = from();
    for (let i = 0; i < ADMIN_FAILURES_PER_ADDRESS; i++)
      expect((await guesser.list(`Bearer ${WRONG}${i}`)).status).toBe(401);
    const limited = await guesser.list(`Bearer ${ADMIN_TOKEN}`);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      code: 'RATE_LIMITED',
      message: expect.any(String),
      request_id: expect.any(String),
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(auditLines().at(-1)).toMatchObject({ reason: 'rate_limited' });
    // another address with the right token is served
    expect((await from().list(`Bearer ${ADMIN_TOKEN}`)).status).toBe(200);
  });

  it('should guard every spelling that reaches the admin API, and serve none of the others', async () => {
    const ask = (path: string, authorization?: string) =>
      rawRequest(stack.gateway.url, 'GET', path, {
        'x-forwarded-for': `203.0.113.${++ip}`,
        ...(authorization ? { authorization } : {}),
      });
    // Express routes these to the admin API (case-insensitive, trailing slash): the guard holds.
    for (const path of ['/ADMIN/sessions?user_id=u', '/Admin/Sessions/?user_id=u']) {
      expect({ path, status: (await ask(path)).status }).toEqual({ path, status: 401 });
      expect({ path, status: (await ask(path, `Bearer ${ADMIN_TOKEN}`)).status }).toEqual({
        path,
        status: 200,
      });
    }
    // The handle in a path of another spelling stays out of the audit line too.
    const handle = 'g1.not-a-real-handle.but-secret-looking';
    const revoke = await rawRequest(stack.gateway.url, 'DELETE', `/ADMIN/Sessions/${handle}`, {
      'x-forwarded-for': `203.0.113.${++ip}`,
    });
    expect(revoke.status).toBe(401);
    const line = auditLines().at(-1)!;
    expect(line.path).toBe('/ADMIN/Sessions/[handle]');
    expect(JSON.stringify(line)).not.toContain(handle);
    // Spellings only a proxy would decode reach no route at all, token or not.
    for (const path of ['/%61dmin/sessions?user_id=u', '//admin/sessions?user_id=u']) {
      const res = await ask(path, `Bearer ${ADMIN_TOKEN}`);
      expect({ path, status: res.status, code: res.body.code }).toEqual({
        path,
        status: 404,
        code: 'NOT_FOUND',
      });
    }
  });

  it('should not count an operator’s successful calls', async () => {
    const operator = from();
    for (let i = 0; i < ADMIN_FAILURES_PER_ADDRESS + 3; i++)
      expect((await operator.list(`Bearer ${ADMIN_TOKEN}`)).status).toBe(200);
    expect(auditLines()).toEqual([]);
  });
});
