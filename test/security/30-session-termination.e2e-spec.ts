import request from 'supertest';
import { passwordLogin, USERS, useSecurityStack } from './helpers';

/**
 * docs/security.md 30: the admin API ends one session or every session of a user (on every gateway
 * instance: the records are in Redis), with their OneAccess sessions. Ending every session of
 * everyone, and a user's own session list, are not offered (docs/security.md, row 30).
 */
describe('30: sessions can be ended by an administrator', () => {
  const suite = useSecurityStack();

  const list = async (userId: string) =>
    (
      await request(suite.stack.url)
        .get('/admin/sessions')
        .query({ user_id: userId })
        .set(suite.stack.admin())
    ).body.sessions as { id: string; user_agent: string }[];

  it('should end one session, then all sessions of a user, and leave everyone else', async () => {
    const a = await passwordLogin(suite.stack.url);
    a.headers['User-Agent'] = 'ua-a';
    const one = await passwordLogin(suite.stack.url, USERS.plain.user_name, a);
    const two = await passwordLogin(suite.stack.url);
    const three = await passwordLogin(suite.stack.url);
    const bystander = await passwordLogin(suite.stack.url, USERS.other.user_name);
    const target = (await list(USERS.plain.id)).find((s) => s.user_agent === 'ua-a')!;
    expect(target).toBeDefined();

    expect(
      (
        await request(suite.stack.url)
          .delete(`/admin/sessions/${encodeURIComponent(target.id)}`)
          .set(suite.stack.admin())
      ).status,
    ).toBe(204);
    expect((await one.get('/auth/session')).body.status).toBe('ANONYMOUS');
    expect((await two.get('/auth/session')).body.status).toBe('SUCCESS');

    expect(
      (
        await request(suite.stack.url)
          .delete(`/admin/users/${USERS.plain.id}/sessions`)
          .set(suite.stack.admin())
      ).status,
    ).toBe(204);
    for (const b of [two, three]) {
      expect((await b.get('/auth/session')).body.status).toBe('ANONYMOUS');
      expect((await b.get('/api/byid/x')).status).toBe(401);
    }
    expect(await list(USERS.plain.id)).toEqual([]);
    expect((await bystander.get('/api/byid/x')).status).toBe(200);
  });

  it('should refuse the admin API without its bearer token, or with a session cookie', async () => {
    const b = await passwordLogin(suite.stack.url);
    const path = `/admin/users/${USERS.plain.id}/sessions`;
    expect((await request(suite.stack.url).delete(path)).status).toBe(401);
    expect(
      (await request(suite.stack.url).delete(path).set('Cookie', b.cookieHeader).set('X-CSRF', '1'))
        .status,
    ).toBe(401);
    expect(
      (
        await request(suite.stack.url)
          .delete(path)
          .set('Authorization', 'Bearer wrong-token-0123456789abcdef0123')
      ).status,
    ).toBe(401);
    expect((await b.get('/auth/session')).body.status).toBe('SUCCESS');
  });
});
