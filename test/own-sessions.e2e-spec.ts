import request from 'supertest';
import { AuditLog } from '../src/common/audit/audit-log';
import type { OwnSessionView } from '../src/modules/auth/auth.types';
import { BrowserClient } from './helpers/browser-client';
import { createTestApp } from './helpers/create-test-app';
import { sendCode, simControl } from './helpers/flows';
import { GatewayStack, sharedStackEnv, startGatewayStack } from './helpers/gateway-stack';

const PASSWORD = 'Passw0rd!2024';
const UA = {
  windows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
};

describe('your sessions: GET and DELETE /auth/sessions (contract section 4)', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack();
  });
  afterAll(() => stack?.close());

  async function signedIn(userName = 'zhangsan', ua = UA.windows): Promise<BrowserClient> {
    const b = new BrowserClient(stack.gateway.url);
    b.headers['User-Agent'] = ua;
    const res = await b.post('/auth/login/password', { user_name: userName, password: PASSWORD });
    expect(res.body.status).toBe('SUCCESS');
    return b;
  }
  const sessionsOf = async (b: BrowserClient) =>
    (await b.get('/auth/sessions')).body.sessions as OwnSessionView[];
  const statusOf = async (b: BrowserClient): Promise<string> =>
    (await b.get('/auth/session')).body.status as string;
  /** Watches (and passes on) the audit lines the gateway records. */
  function auditSpy(): jest.SpyInstance {
    return jest.spyOn(stack.gateway.app.get(AuditLog, { strict: false }), 'record');
  }
  /** Starts each test from one fresh session of the user. */
  async function alone(userName = 'zhangsan'): Promise<BrowserClient> {
    const b = await signedIn(userName);
    await b.delete('/auth/sessions');
    return b;
  }

  it("should list the caller's sessions newest first, the current one marked, with a device label", async () => {
    const older = await alone();
    const newer = await signedIn('zhangsan', UA.iphone);
    await signedIn('zhouba'); // another user's session is never listed
    const sessions = await sessionsOf(older);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toMatchObject({
      current: false,
      login_method: 'password',
      device: 'Safari on iOS 17',
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(sessions[1]).toMatchObject({ current: true, device: 'Chrome on Windows 10' });
    expect(Date.parse(sessions[0].created_at)).toBeGreaterThanOrEqual(
      Date.parse(sessions[1].created_at),
    );
    expect(Object.keys(sessions[0]).sort()).toEqual(
      ['created_at', 'current', 'device', 'id', 'ip', 'last_seen_at', 'login_method'].sort(),
    );
    // the same handles from the other browser, with "current" the other way round
    const fromNewer = await sessionsOf(newer);
    expect(fromNewer.map((s) => [s.id, s.current])).toEqual([
      [sessions[0].id, true],
      [sessions[1].id, false],
    ]);
  });

  it('should never show the cookie value or a token, and keep a handle stable', async () => {
    const b = await alone();
    const cookie = decodeURIComponent(b.cookies.get('__Host-bff')!);
    const sid = cookie.slice(2, cookie.lastIndexOf('.'));
    const first = await b.get('/auth/sessions');
    const text = JSON.stringify(first.body);
    expect(text).not.toContain(sid);
    expect(text).not.toMatch(/token|eyJ/i);
    expect(first.headers['cache-control']).toContain('no-store');
    expect((await sessionsOf(b))[0].id).toBe(first.body.sessions[0].id);
  });

  it('should end another of my sessions, its OneAccess session too, and keep mine', async () => {
    const me = await alone();
    const other = await signedIn('zhangsan', UA.iphone);
    const handle = (await sessionsOf(me)).find((s) => !s.current)!.id;
    await simControl(stack.simulator, 'DELETE', 'journal');
    const audit = auditSpy();
    const res = await me.delete(`/auth/sessions/${encodeURIComponent(handle)}`);
    expect(res.status).toBe(204);
    expect(audit).toHaveBeenCalledWith(
      'session_revoked',
      expect.objectContaining({ reason: 'ended_by_user' }),
      expect.any(String),
      expect.objectContaining({ user: expect.any(String) }),
    );
    audit.mockRestore();
    expect(await statusOf(other)).toBe('ANONYMOUS');
    expect(await statusOf(me)).toBe('SUCCESS');
    const journal = await simControl<{ path: string }[]>(stack.simulator, 'GET', 'journal');
    expect(journal.some((j) => j.path === '/api/v2/sdk/logout')).toBe(true);
    expect((await sessionsOf(me)).map((s) => s.id)).not.toContain(handle);
    // ended already: now unknown
    expect((await me.delete(`/auth/sessions/${encodeURIComponent(handle)}`)).status).toBe(404);
  });

  it("should answer 404 NOT_FOUND alike for another user's handle and for nonsense, ending nothing", async () => {
    const me = await alone();
    const stranger = await alone('zhouba');
    const foreign = (await sessionsOf(stranger))[0].id;
    for (const id of [foreign, 'not-a-handle', 'x'.repeat(600)]) {
      const res = await me.delete(`/auth/sessions/${encodeURIComponent(id)}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        code: 'NOT_FOUND',
        message: expect.any(String),
        request_id: expect.any(String),
      });
    }
    expect(await statusOf(stranger)).toBe('SUCCESS');
  });

  it('should sign this browser out when it ends its own current session', async () => {
    const me = await alone();
    const mine = (await sessionsOf(me))[0];
    const res = await me.delete(`/auth/sessions/${encodeURIComponent(mine.id)}`);
    expect(res.status).toBe(204);
    expect(res.setCookie.join()).toMatch(/__Host-bff=;/);
    expect(await statusOf(me)).toBe('ANONYMOUS');
  });

  it('should end every other session and count them, keeping the current one', async () => {
    const me = await alone();
    const others = [await signedIn(), await signedIn('zhangsan', UA.iphone)];
    const bystander = await signedIn('zhouba');
    const res = await me.delete('/auth/sessions');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ended: 2 });
    for (const b of others) expect(await statusOf(b)).toBe('ANONYMOUS');
    expect(await statusOf(me)).toBe('SUCCESS');
    expect(await statusOf(bystander)).toBe('SUCCESS');
    expect((await me.delete('/auth/sessions')).body).toEqual({ ended: 0 });
  });

  it('should answer 401 UNAUTHENTICATED to a browser that is not signed in', async () => {
    const anonymous = new BrowserClient(stack.gateway.url);
    for (const res of [
      await anonymous.get('/auth/sessions'),
      await anonymous.delete('/auth/sessions'),
      await anonymous.delete('/auth/sessions/anything'),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
  });

  it('should refuse the deletes without X-CSRF: 1 (403 CSRF_REJECTED) and end nothing', async () => {
    const me = await alone();
    const other = await signedIn();
    const handle = (await sessionsOf(me)).find((s) => !s.current)!.id;
    for (const path of ['/auth/sessions', `/auth/sessions/${encodeURIComponent(handle)}`]) {
      const res = await request(stack.gateway.url)
        .delete(path)
        .set('Cookie', me.cookieHeader)
        .set('User-Agent', UA.windows);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('CSRF_REJECTED');
    }
    expect(await statusOf(other)).toBe('SUCCESS');
  });
});

describe('a password change ends the other sessions (contract section 4)', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack();
  });
  afterAll(() => stack?.close());

  it('should sign out every other session of the user and keep the changing one working', async () => {
    const login = async () => {
      const b = new BrowserClient(stack.gateway.url);
      const res = await b.post('/auth/login/password', { user_name: 'wangwu', password: PASSWORD });
      expect(res.body.status).toBe('PASSWORD_WARN');
      return b;
    };
    const elsewhere = await login();
    expect((await elsewhere.post('/auth/password/skip')).body.status).toBe('SUCCESS');
    const bystander = new BrowserClient(stack.gateway.url);
    await bystander.post('/auth/login/password', { user_name: 'zhangsan', password: PASSWORD });

    const changer = await login();
    const audit = jest.spyOn(stack.gateway.app.get(AuditLog, { strict: false }), 'record');
    const changed = await changer.post('/auth/password/update', {
      old_password: PASSWORD,
      new_password: 'N3wPassw0rd!x',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.status).toBe('SUCCESS');
    expect(audit).toHaveBeenCalledWith(
      'session_revoked',
      expect.objectContaining({ reason: 'password_changed' }),
      expect.any(String),
      expect.objectContaining({ user: expect.any(String) }),
    );
    audit.mockRestore();

    expect((await elsewhere.get('/auth/session')).body.status).toBe('ANONYMOUS');
    expect((await elsewhere.get('/auth/profile')).status).toBe(401);
    expect((await changer.get('/auth/profile')).status).toBe(200);
    const mine = (await changer.get('/auth/sessions')).body.sessions as OwnSessionView[];
    expect(mine).toHaveLength(1);
    expect(mine[0].current).toBe(true);
    expect((await bystander.get('/auth/session')).body.status).toBe('SUCCESS');
  });

  it('should end nothing when the change is refused', async () => {
    const first = new BrowserClient(stack.gateway.url);
    await first.post('/auth/login/password', { user_name: 'zhaoliu', password: PASSWORD });
    const second = new BrowserClient(stack.gateway.url);
    await second.post('/auth/login/password', { user_name: 'zhaoliu', password: PASSWORD });
    const refused = await second.post('/auth/password/update', {
      old_password: 'not-it-1',
      new_password: 'N3wPassw0rd!x',
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect((await first.get('/auth/session')).body.status).toBe('PASSWORD_EXPIRED');
  });
  it('should sign out every session of the account when its password is reset by SMS, on every instance, but the resetting one', async () => {
    const second = await createTestApp(sharedStackEnv(stack));
    const statusOf = async (b: BrowserClient): Promise<string> =>
      (await b.get('/auth/session')).body.status as string;
    try {
      const login = async (url: string, userName: string, password = PASSWORD) => {
        const b = new BrowserClient(url);
        const res = await b.post('/auth/login/password', { user_name: userName, password });
        expect(res.body.status).toBe('SUCCESS');
        return b;
      };
      // zhouba's mobile is 13800000006 (the simulator's seed)
      const stolen = await login(stack.gateway.url, 'zhouba');
      const elsewhere = await login(second.url, 'zhouba');
      const resetter = await login(stack.gateway.url, 'zhouba');
      const bystander = await login(second.url, 'zhangsan');

      const code = await sendCode(resetter, stack.simulator, '13800000006', 'reset_password');
      const reset = await resetter.post('/auth/password/reset', {
        mobile: '13800000006',
        verify_code: code,
        password: 'R3setPassw0rd!x',
      });
      expect(reset.status).toBe(200);
      expect(reset.body).toEqual({ reset: true });

      expect(await statusOf(stolen)).toBe('ANONYMOUS');
      expect(await statusOf(elsewhere)).toBe('ANONYMOUS');
      expect((await stolen.get('/auth/profile')).status).toBe(401);
      expect(await statusOf(resetter)).toBe('SUCCESS');
      expect(await statusOf(bystander)).toBe('SUCCESS');
      // the owner signs in with the new password, anywhere
      await login(second.url, 'zhouba', 'R3setPassw0rd!x');
    } finally {
      await second.close();
    }
  });
});
