import request from 'supertest';
import type { AdminSessionView } from '../src/modules/admin/admin.service';
import { BrowserClient } from './helpers/browser-client';
import { simControl } from './helpers/flows';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';

const ADMIN = 'admin-token-for-tests-0123456789abcdef';
const ZHANGSAN = '20210621095935811-5E16-6B3060ABC';

describe('session index, admin API and concurrent-session limit (contract section 7, docs/security.md 30, 33)', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack({ env: { ADMIN_TOKEN: ADMIN, MAX_SESSIONS_PER_USER: '3' } });
  });
  afterAll(() => stack.close());

  async function signedIn(userName = 'zhangsan'): Promise<BrowserClient> {
    const b = new BrowserClient(stack.gateway.url);
    b.headers['User-Agent'] = `test-browser/${Math.random().toString(36).slice(2, 8)}`;
    const res = await b.post('/auth/login/password', {
      user_name: userName,
      password: 'Passw0rd!2024',
    });
    expect(res.body.status).toBe('SUCCESS');
    return b;
  }
  const admin = () => ({ Authorization: `Bearer ${ADMIN}` });
  const list = async (userId = ZHANGSAN) =>
    (
      await request(stack.gateway.url)
        .get('/admin/sessions')
        .query({ user_id: userId })
        .set(admin())
    ).body.sessions as AdminSessionView[];

  it('should refuse a missing or wrong bearer token with 401', async () => {
    const missing = await request(stack.gateway.url)
      .get('/admin/sessions')
      .query({ user_id: ZHANGSAN });
    expect(missing.status).toBe(401);
    expect(missing.body.code).toBe('UNAUTHENTICATED');
    const wrong = await request(stack.gateway.url)
      .get('/admin/sessions')
      .query({ user_id: ZHANGSAN })
      .set('Authorization', `Bearer ${ADMIN}x`);
    expect(wrong.status).toBe(401);
    // a browser's session cookie is no admin credential
    const b = await signedIn();
    const viaCookie = await request(stack.gateway.url)
      .get('/admin/sessions')
      .query({ user_id: ZHANGSAN })
      .set('Cookie', b.cookieHeader);
    expect(viaCookie.status).toBe(401);
  });

  it("should list a user's sessions with opaque handles and no secrets", async () => {
    const b = await signedIn();
    const sessions = await list();
    expect(sessions.length).toBeGreaterThanOrEqual(1);
    const mine = sessions.find((s) => s.user_agent === b.headers['User-Agent'])!;
    expect(mine).toMatchObject({
      user_id: ZHANGSAN,
      login_method: 'password',
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(Date.parse(mine.created_at)).toBeLessThanOrEqual(Date.parse(mine.last_seen_at));
    const cookieValue = decodeURIComponent(b.cookies.get('__Host-bff')!);
    const sid = cookieValue.slice(2, cookieValue.lastIndexOf('.'));
    expect(JSON.stringify(sessions)).not.toContain(sid);
    expect(JSON.stringify(sessions)).not.toMatch(/token/i);
  });

  it('should end one session, its OneAccess session too, and leave the others', async () => {
    const victim = await signedIn();
    const bystander = await signedIn();
    const handle = (await list()).find((s) => s.user_agent === victim.headers['User-Agent'])!.id;
    await simControl(stack.simulator, 'DELETE', 'journal');
    expect(
      (
        await request(stack.gateway.url)
          .delete(`/admin/sessions/${encodeURIComponent(handle)}`)
          .set(admin())
      ).status,
    ).toBe(204);
    expect((await victim.get('/auth/session')).body.status).toBe('ANONYMOUS');
    expect((await victim.get('/auth/profile')).status).toBe(401);
    expect((await bystander.get('/auth/session')).body.status).toBe('SUCCESS');
    const journal = await simControl<{ path: string }[]>(stack.simulator, 'GET', 'journal');
    expect(journal.some((j) => j.path === '/api/v2/sdk/logout')).toBe(true);
    // the same handle again, and nonsense, are unknown
    expect(
      (
        await request(stack.gateway.url)
          .delete(`/admin/sessions/${encodeURIComponent(handle)}`)
          .set(admin())
      ).status,
    ).toBe(404);
    expect(
      (await request(stack.gateway.url).delete('/admin/sessions/not-a-handle').set(admin())).status,
    ).toBe(404);
  });

  it('should end every session of a user', async () => {
    const a = await signedIn();
    const b = await signedIn();
    const other = await signedIn('zhouba');
    expect(
      (await request(stack.gateway.url).delete(`/admin/users/${ZHANGSAN}/sessions`).set(admin()))
        .status,
    ).toBe(204);
    expect((await a.get('/auth/session')).body.status).toBe('ANONYMOUS');
    expect((await b.get('/auth/session')).body.status).toBe('ANONYMOUS');
    expect((await other.get('/auth/session')).body.status).toBe('SUCCESS');
    expect(await list()).toEqual([]);
  });

  it('should evict the oldest session beyond MAX_SESSIONS_PER_USER', async () => {
    await request(stack.gateway.url).delete(`/admin/users/${ZHANGSAN}/sessions`).set(admin());
    const first = await signedIn();
    const rest = [await signedIn(), await signedIn(), await signedIn()];
    expect((await first.get('/auth/session')).body.status).toBe('ANONYMOUS');
    for (const b of rest) expect((await b.get('/auth/session')).body.status).toBe('SUCCESS');
    expect(await list()).toHaveLength(3);
  });

  it('should drop a logged-out session from the index', async () => {
    await request(stack.gateway.url).delete(`/admin/users/${ZHANGSAN}/sessions`).set(admin());
    const b = await signedIn();
    expect(await list()).toHaveLength(1);
    await b.post('/auth/logout');
    expect(await list()).toHaveLength(0);
  });
});

describe('admin API without ADMIN_TOKEN', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack();
  });
  afterAll(() => stack.close());

  it('should not exist', async () => {
    const res = await request(stack.gateway.url)
      .get('/admin/sessions')
      .query({ user_id: ZHANGSAN })
      .set('Authorization', 'Bearer anything');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('NOT_FOUND');
  });
});
