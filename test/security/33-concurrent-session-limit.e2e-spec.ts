import request from 'supertest';
import { passwordLogin, USERS, useSecurityStack } from './helpers';

/**
 * docs/security.md 33: the documented policy MAX_SESSIONS_PER_USER (default 10): a login beyond it
 * ends the user's oldest session (on any instance), rather than refusing the new one.
 */
describe('33: the concurrent-session limit evicts the oldest session', () => {
  const suite = useSecurityStack({ env: { MAX_SESSIONS_PER_USER: '2' } });

  it('should keep the newest MAX_SESSIONS_PER_USER sessions of a user', async () => {
    const first = await passwordLogin(suite.stack.url);
    const second = await passwordLogin(suite.stack.url);
    const other = await passwordLogin(suite.stack.url, USERS.other.user_name);
    const third = await passwordLogin(suite.stack.url);
    expect((await first.get('/auth/session')).body.status).toBe('ANONYMOUS');
    expect((await first.get('/api/byid/x')).status).toBe(401);
    for (const b of [second, third, other])
      expect((await b.get('/auth/session')).body.status).toBe('SUCCESS');
    const sessions = (
      await request(suite.stack.url)
        .get('/admin/sessions')
        .query({ user_id: USERS.plain.id })
        .set(suite.stack.admin())
    ).body.sessions;
    expect(sessions).toHaveLength(2);
  });
});
