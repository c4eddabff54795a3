import { passwordLogin, USERS, useSecurityStack } from './helpers';

/**
 * docs/security.md 34: changing e-mail, phone or MFA would need step-up; the gateway offers none of
 * these changes at all: PATCH /auth/profile refuses `email`, `mobile`, `user_name` and password
 * fields (unknown fields are refused, not ignored), and there is no MFA-settings endpoint. Such
 * changes are made in OneAccess's own user portal, under its own re-authentication.
 */
describe('34: e-mail, mobile and MFA cannot be changed through the gateway', () => {
  const suite = useSecurityStack();

  it('should refuse identifier and credential changes on the profile', async () => {
    const b = await passwordLogin(suite.stack.url);
    for (const body of [
      { email: 'attacker@example.com' },
      { mobile: '13999999999' },
      { user_name: 'someone-else' },
      { pwd: 'Passw0rd!2025' },
      { password: 'Passw0rd!2025' },
      { verify_code: '123456', mobile: '13999999999' },
    ]) {
      const res = await b.patch('/auth/profile', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const profile = (await b.get('/auth/profile')).body;
    expect(profile).toMatchObject({
      email: USERS.plain.email,
      mobile: USERS.plain.mobile,
      user_name: USERS.plain.user_name,
    });
    for (const path of ['/auth/mfa/settings', '/auth/profile/mobile', '/auth/profile/email'])
      expect((await b.post(path, {})).status).toBe(404);
  });
});
