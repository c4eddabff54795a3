import { simControl } from '../helpers/flows';
import { waitFor } from '../helpers/wait-for';
import { COOKIE, oauthLogin, passwordLogin, rawSessionId, useSecurityStack } from './helpers';

/**
 * docs/security.md 26: when OneAccess refuses a refresh (the SDK id_token refresh, the SSO
 * session_token refresh, the OAuth refresh_token grant: `invalid_grant`), the session is destroyed
 * and the caller gets 401 with the machine-readable SESSION_EXPIRED; the next call is anonymous.
 * (The lifetime relation itself is in docs/security.md, "Lifetimes".)
 */
describe('26: a refused refresh ends the session', () => {
  const suite = useSecurityStack();

  it('should destroy SDK and OAuth sessions whose refresh OneAccess refuses', async () => {
    const sim = suite.stack.simulator;
    const shortLived = async <T>(lifetimes: object, login: () => Promise<T>): Promise<T> => {
      await simControl(sim, 'PATCH', 'config', { lifetimes });
      try {
        return await login();
      } finally {
        await simControl(sim, 'PATCH', 'config', {
          lifetimes: { idToken: 7200, sessionToken: 604800, oauthAccessToken: 7200 },
        });
      }
    };
    // One short-lived credential each, so each refresh path is the one that runs.
    const sdkRelay = await shortLived({ idToken: 2 }, () => passwordLogin(suite.stack.url));
    const sdkAccount = await shortLived({ sessionToken: 2 }, () =>
      passwordLogin(suite.stack.url, 'zhouba'),
    );
    const oauth = await shortLived(
      { oauthAccessToken: 2 },
      async () => (await oauthLogin(suite.stack.url)).browser,
    );
    // Each falls due 1 s after it was issued (half its lifetime): all of them once 1 s has passed
    // since the last login, however long the logins took on a loaded machine.
    const issuedBy = Date.now();
    await waitFor(() => Date.now() > issuedBy + 1100, 3000, 'the tokens to fall due');
    await simControl(sim, 'POST', 'failure', { mode: 'refuse_refresh' });
    try {
      for (const [b, path] of [
        [sdkRelay, '/api/byid/x'],
        [sdkAccount, '/auth/profile'],
        [oauth, '/api/byaccess/x'],
      ] as const) {
        const sid = rawSessionId(b.cookies.get(COOKIE)!);
        const res = await b.get(path);
        expect({ path, status: res.status, code: res.body.code }).toEqual({
          path,
          status: 401,
          code: 'SESSION_EXPIRED',
        });
        expect(await suite.redis.exists(`${suite.stack.keyPrefix}cred:${sid}`)).toBe(0);
        expect((await b.get('/auth/session')).body.status).toBe('ANONYMOUS');
        expect((await b.get(path)).status).toBe(401);
      }
    } finally {
      await simControl(sim, 'POST', 'failure', { mode: 'none' });
    }
    const journal = await simControl<{ path: string; status: number }[]>(sim, 'GET', 'journal');
    for (const p of [
      '/api/v2/sdk/session-token/refresh-id-token',
      '/api/v2/tenant/sso/session-token/refresh',
      '/api/v1/oauth2/token',
    ])
      expect(journal.some((j) => j.path === p && j.status >= 400)).toBe(true);
    expect(suite.stack.upstream.seen).toEqual([]);
  });
});
