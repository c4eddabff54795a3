import request from 'supertest';
import { passwordLogin, SecurityStack, startSecurityStack, USERS } from './helpers';

/**
 * security.md 33: the documented policy MAX_SESSIONS_PER_USER (default 10): a login beyond it
 * ends the user's oldest session (on any instance), rather than refusing the new one.
 */
describe('33: the concurrent-session limit evicts the oldest session', () => {
  let stack: SecurityStack;

  beforeAll(async () => {
    stack = await startSecurityStack({ env: { MAX_SESSIONS_PER_USER: '2' } });
  });
  afterAll(() => stack?.close());

  it('should keep the newest MAX_SESSIONS_PER_USER sessions of a user', async () => {
    const first = await passwordLogin(stack.url);
    const second = await passwordLogin(stack.url);
    const other = await passwordLogin(stack.url, USERS.other.user_name);
    const third = await passwordLogin(stack.url);
    expect((await first.get('/auth/session')).body.status).toBe('ANONYMOUS');
    expect((await first.get('/api/byid/x')).status).toBe(401);
    for (const b of [second, third, other])
      expect((await b.get('/auth/session')).body.status).toBe('SUCCESS');
    const sessions = (
      await request(stack.url)
        .get('/admin/sessions')
        .query({ user_id: USERS.plain.id })
        .set(stack.admin())
    ).body.sessions;
    expect(sessions).toHaveLength(2);
  });
});
