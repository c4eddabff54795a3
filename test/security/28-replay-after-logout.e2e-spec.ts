import request from 'supertest';
import { BrowserClient } from '../helpers/browser-client';
import { COOKIE, passwordLogin, rawSessionId, useSecurityStack, USERS } from './helpers';

/**
 * docs/security.md 28: after logout (or an admin revocation), replaying the old cookie gets 401: the
 * server-side records are deleted, not just the cookie. (After expiry: 24 and 26.)
 */
describe('28: a logged-out cookie is dead on the server', () => {
  const suite = useSecurityStack();

  async function expectGone(cookie: string): Promise<void> {
    const sid = rawSessionId(cookie);
    expect(await suite.redis.exists(`${suite.stack.keyPrefix}sess:${sid}`)).toBe(0);
    expect(await suite.redis.exists(`${suite.stack.keyPrefix}cred:${sid}`)).toBe(0);
    for (const key of await suite.redis.keys(`${suite.stack.keyPrefix}user:*`))
      expect(await suite.redis.zrange(key, 0, -1)).not.toContain(sid);
    const replay = new BrowserClient(suite.stack.url);
    replay.cookies.set(COOKIE, cookie);
    expect((await replay.get('/auth/profile')).status).toBe(401);
    expect((await replay.get('/api/byid/x')).status).toBe(401);
    expect((await replay.get('/auth/session')).body.status).toBe('ANONYMOUS');
  }

  it('should delete the records at logout, so the old cookie gets 401', async () => {
    const b = await passwordLogin(suite.stack.url);
    const cookie = b.cookies.get(COOKIE)!;
    expect(await suite.redis.exists(`${suite.stack.keyPrefix}cred:${rawSessionId(cookie)}`)).toBe(
      1,
    );
    expect((await b.post('/auth/logout')).status).toBe(200);
    await expectGone(cookie);
  });

  it('should delete the records when an admin ends the session', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.other.user_name);
    const cookie = b.cookies.get(COOKIE)!;
    expect(
      (
        await request(suite.stack.url)
          .delete(`/admin/users/${USERS.other.id}/sessions`)
          .set(suite.stack.admin())
      ).status,
    ).toBe(204);
    await expectGone(cookie);
  });
});
