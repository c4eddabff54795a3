import request from 'supertest';
import { passwordLogin, USERS, useSecurityStack } from './helpers';

/**
 * docs/security.md 22: login, logout, OTP sending and session revocation are POST/DELETE only; GET,
 * HEAD and OPTIONS on them change nothing. The one state-changing GET is the OAuth callback,
 * which must be a GET (a top-level navigation from OneAccess); it is bound by the single-use
 * state and the transaction cookie (23).
 */
describe('22: no state change on GET, HEAD or OPTIONS', () => {
  const suite = useSecurityStack();

  it('should not log in, log out, send codes or revoke sessions on safe methods', async () => {
    const b = await passwordLogin(suite.stack.url);
    const journal = async () =>
      (await (await fetch(`${suite.stack.simulator.url}/__sim/journal`)).json()) as unknown[];
    const before = (await journal()).length;
    const paths = [
      '/auth/logout',
      '/auth/login/password?user_name=zhangsan&password=Passw0rd!2024',
      '/auth/login/sms',
      '/auth/sms/send?mobile=13800000001&purpose=login',
      '/auth/password/skip',
      '/auth/password/reset',
      '/auth/register',
      '/auth/mfa/sms',
    ];
    for (const method of ['get', 'head', 'options'] as const) {
      for (const path of paths) {
        const res = await request(suite.stack.url)[method](path).set('Cookie', b.cookieHeader);
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      }
      const admin = await request(suite.stack.url)
        [method](`/admin/users/${USERS.plain.id}/sessions`)
        .set(suite.stack.admin());
      expect(admin.status).toBe(404);
    }
    expect((await journal()).length).toBe(before);
    expect((await b.get('/auth/session')).body.status).toBe('SUCCESS');
    expect(
      (
        await request(suite.stack.url)
          .get('/admin/sessions')
          .query({ user_id: USERS.plain.id })
          .set(suite.stack.admin())
      ).body.sessions,
    ).toHaveLength(1);
  });
});
