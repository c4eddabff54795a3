import { useCookieRun } from './helpers';

/**
 * docs/security.md 1: every Set-Cookie of the gateway carries `Secure`: the session cookie when it is
 * created, regenerated at each privilege change and expired at logout, and the OAuth transaction
 * cookie. PUBLIC_ORIGIN is plain http here (the test hop is plain http too): the flag follows the
 * configuration, not the scheme of the last hop.
 */
describe('01: the session cookie is Secure', () => {
  const run = useCookieRun();

  it('should mark every cookie it sets, renews or clears Secure', () => {
    expect(run.lines.length).toBeGreaterThanOrEqual(9);
    const where = new Set(run.lines.map((l) => l.where));
    for (const w of [
      'GET /auth/captcha',
      'POST /auth/login/password',
      'POST /auth/mfa/sms',
      'POST /auth/password/update',
      'POST /auth/logout',
      'GET /auth/oauth/login',
      'GET /auth/oauth/callback',
    ])
      expect(where).toContain(w);
    const insecure = run.lines.filter((l) => !l.cookie.attrs.has('secure')).map((l) => l.line);
    expect(insecure).toEqual([]);
  });
});
