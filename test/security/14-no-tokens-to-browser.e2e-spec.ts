import request from 'supertest';
import { BrowserClient, Recorded } from '../helpers/browser-client';
import { simControl } from '../helpers/flows';
import { waitFor } from '../helpers/wait-for';
import {
  containsSecret,
  issuedSecrets,
  mfaLogin,
  oauthLogin,
  PASSWORD,
  USERS,
  useSecurityStack,
} from './helpers';
import { JWT_IN_CLEAR } from '../helpers/jwt-pattern';

/**
 * docs/security.md 14: no response body, header or error payload of /auth, the relay or the admin API
 * carries an access, refresh or ID token, a session_token, state_token, sso_ticket, captcha_token,
 * tenant token or SMS code: the run below covers the OAuth and MFA logins, token refreshes,
 * relayed calls and the error paths (wrong code, refused refresh, OneAccess down), and every
 * answer is searched for every value the simulator issued and for any JWT. (The SDK flows are
 * scanned the same way at the end of test/auth-flows.e2e-spec.ts.) Relayed calls go to the echo
 * upstream's `/status/<n>` paths, which answer without echoing the request: what an upstream puts in
 * its own answer is the upstream's business.
 */
describe('14: no token ever reaches the browser', () => {
  const suite = useSecurityStack();

  it('should send no issued token or JWT in any answer, success or error', async () => {
    const sim = suite.stack.simulator;
    const recorded: Recorded[] = [];
    const b = (url = suite.stack.url) => new BrowserClient(url, recorded);
    const raw: { what: string; headers: Record<string, unknown>; text: string }[] = [];
    const keep = (what: string, res: request.Response) =>
      raw.push({ what, headers: res.headers, text: res.text ?? '' });

    const { browser } = await mfaLogin(suite.stack.url, sim, b());
    const wrong = b();
    await wrong.post('/auth/login/password', {
      user_name: USERS.mfa.user_name,
      password: PASSWORD,
    });
    await wrong.post('/auth/mfa/sms', { verify_code: '000000' });
    await browser.get('/auth/profile');
    await browser.get('/api/byid/status/200');
    await browser.get('/api/byaccess/status/200'); // an SDK login has no access token: 401
    await browser.get('/api/byid/status/500');

    // OAuth, with a refresh of its access token, then a refused refresh of the id_token.
    await simControl(sim, 'PATCH', 'config', { lifetimes: { oauthAccessToken: 2, idToken: 2 } });
    const oauth = await oauthLogin(suite.stack.url);
    await simControl(sim, 'PATCH', 'config', {
      lifetimes: { oauthAccessToken: 7200, idToken: 7200 },
    });
    keep('GET /auth/oauth/callback', oauth.done);
    const o = new BrowserClient(suite.stack.url, recorded);
    for (const [k, v] of oauth.browser.cookies) o.cookies.set(k, v);
    const at = Date.now();
    await o.get('/api/byaccess/status/200');
    await waitFor(() => Date.now() > at + 1100, 3000, 'tokens to fall due');
    await o.get('/api/byaccess/status/200');
    const sdkDue = await mfaLogin(suite.stack.url, sim, b());
    await simControl(sim, 'PATCH', 'config', { lifetimes: { idToken: 2 } });
    const due = (await mfaLogin(suite.stack.url, sim, b())).browser;
    await simControl(sim, 'PATCH', 'config', { lifetimes: { idToken: 7200 } });
    const dueAt = Date.now();
    await waitFor(() => Date.now() > dueAt + 1100, 3000, 'the id_token to fall due');
    await simControl(sim, 'POST', 'failure', { mode: 'refuse_refresh' });
    await due.get('/api/byid/status/200');
    await simControl(sim, 'POST', 'failure', { mode: 'down' });
    await sdkDue.browser.get('/auth/profile');
    await simControl(sim, 'POST', 'failure', { mode: 'none' });
    await browser.post('/auth/logout');
    keep(
      'GET /admin/sessions',
      await request(suite.stack.url)
        .get('/admin/sessions')
        .query({ user_id: USERS.mfa.id })
        .set(suite.stack.admin()),
    );

    const answers = [
      ...recorded.map((r) => ({
        what: `${r.method} ${r.path} ${r.status}`,
        headers: r.headers,
        text: r.text,
      })),
      ...raw,
    ];
    const statuses = new Set(recorded.map((r) => r.status));
    for (const s of [200, 401, 500, 503]) expect(statuses).toContain(s);
    const secrets = await issuedSecrets(sim);
    const kinds = new Set(secrets.map((s) => s.kind));
    for (const k of [
      'session_token',
      'id_token',
      'state_token',
      'sso_ticket',
      'captcha_token',
      'sms_code',
      'oauth_access_token',
      'oauth_refresh_token',
      'oauth_id_token',
    ])
      expect(kinds).toContain(k);
    const leaks: string[] = [];
    for (const a of answers) {
      // Captcha images are long base64: codes are looked for outside them.
      const text = `${JSON.stringify(a.headers)}\n${a.text}`.replace(
        /"(original|jigsaw)_image_base64":"[^"]*"/g,
        '',
      );
      for (const s of secrets) if (containsSecret(text, s)) leaks.push(`${s.kind} in ${a.what}`);
      if (JWT_IN_CLEAR.test(text)) leaks.push(`a JWT in ${a.what}`);
    }
    expect(leaks).toEqual([]);
    console.info(`14: ${answers.length} answers searched for ${secrets.length} issued secrets`);
  });
});
