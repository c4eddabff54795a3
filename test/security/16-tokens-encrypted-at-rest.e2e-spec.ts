import { sendCode, simControl, solveCaptcha } from '../helpers/flows';
import { waitFor } from '../helpers/wait-for';
import {
  COOKIE,
  containsSecret,
  dumpRedis,
  issuedSecrets,
  mfaLogin,
  oauthLogin,
  PASSWORD,
  passwordLogin,
  rawSessionId,
  useSecurityStack,
  USERS,
} from './helpers';
import { JWT_IN_CLEAR } from '../helpers/jwt-pattern';

/**
 * docs/security.md 16: tokens at rest in Redis are AEAD-encrypted with keys that are not in Redis.
 * After a full run (password, MFA, SMS and OAuth logins, a token refresh, relayed calls, pending
 * steps and captchas left half-way), every key under the gateway's prefix is read by type and
 * searched for every secret the simulator issued, for the users' names, mobiles and e-mails, and
 * for any JWT.
 */
describe('16: tokens at rest are encrypted (Redis dump)', () => {
  const suite = useSecurityStack({
    // Rate limits on, so their keys are part of the dump too.
    env: {
      RATE_LIMITS: JSON.stringify({
        login_per_ip: 1000,
        login_per_account: 1000,
        sms_per_mobile_hour: 1000,
        captcha_per_ip: 1000,
      }),
    },
  });

  it('should keep no issued token, personal data or JWT in clear in any Redis key or value', async () => {
    const sim = suite.stack.simulator;
    // A short id_token lifetime, so the relay refreshes one and writes the new token back.
    await simControl(sim, 'PATCH', 'config', { lifetimes: { idToken: 2 } });
    const plain = await passwordLogin(suite.stack.url);
    const loggedInAt = Date.now();
    expect((await plain.get('/api/byid/orders')).status).toBe(200);
    expect((await plain.get('/auth/profile')).status).toBe(200);
    await simControl(sim, 'PATCH', 'config', { lifetimes: { idToken: 7200 } });
    await waitFor(() => Date.now() > loggedInAt + 1100, 3000, 'the id_token to fall due');
    await simControl(sim, 'DELETE', 'journal');
    expect((await plain.get('/api/byid/orders')).status).toBe(200);
    const journal = await simControl<{ path: string }[]>(sim, 'GET', 'journal');
    expect(journal.some((j) => j.path === '/api/v2/sdk/session-token/refresh-id-token')).toBe(true);

    const mfa = await mfaLogin(suite.stack.url, sim);
    expect((await mfa.browser.post('/api/byid/items', { q: 1 })).status).toBe(200);

    const smsUser = suite.stack.browser();
    const code = await sendCode(smsUser, sim, USERS.other.mobile, 'login');
    expect(
      (await smsUser.post('/auth/login/sms', { mobile: USERS.other.mobile, verify_code: code }))
        .body.status,
    ).toBe('SUCCESS');

    const oauth = await oauthLogin(suite.stack.url);
    expect(oauth.done.headers.location).toBe('http://localhost:3000/home');
    expect((await oauth.browser.get('/api/byaccess/x')).status).toBe(200);
    expect((await oauth.browser.get('/api/byid/x')).status).toBe(200);

    // Left half-way: a pending MFA step (state_token), a verified captcha (captcha_token), an
    // OAuth transaction not yet called back.
    const pending = suite.stack.browser();
    expect(
      (
        await pending.post('/auth/login/password', {
          user_name: USERS.mfa.user_name,
          password: PASSWORD,
        })
      ).body.status,
    ).toBe('MFA_AUTH');
    const captcha = suite.stack.browser();
    expect((await solveCaptcha(captcha, sim, USERS.spare.mobile)).status).toBe(200);
    const started = await fetch(`${suite.stack.url}/auth/oauth/login`, { redirect: 'manual' });
    expect(started.status).toBe(302);

    const dump = await dumpRedis(suite.stack.redisUrl, suite.stack.keyPrefix);
    const kinds = new Set(dump.map((e) => e.key.slice(suite.stack.keyPrefix.length).split(':')[0]));
    for (const kind of ['sess', 'cred', 'user', 'once', 'rl']) expect(kinds).toContain(kind);
    expect(dump.length).toBeGreaterThan(15);

    // The session records are ciphertexts of the g1 format, the credential records a version and
    // the binary form of the same cipher (format byte 2, key id, IV, ciphertext, tag): nothing else.
    for (const e of dump.filter((e) => e.key.includes(':sess:')))
      expect(e.values[0]).toMatch(/^g1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    const creds = dump.filter((e) => e.key.includes(':cred:'));
    expect(creds).toHaveLength(4); // plain, mfa, sms, oauth
    for (const e of creds) expect(e.values[0]).toMatch(/^\d+\|\u0002/);
    // The signed-in sessions are the ones in Redis, so the run really wrote what we search.
    for (const b of [plain, mfa.browser, smsUser, oauth.browser])
      expect(creds.map((e) => e.key)).toContain(
        `${suite.stack.keyPrefix}cred:${rawSessionId(b.cookies.get(COOKIE)!)}`,
      );

    const secrets = await issuedSecrets(sim);
    const issuedKinds = new Set(secrets.map((s) => s.kind));
    for (const kind of [
      'session_token',
      'id_token',
      'state_token',
      'sso_ticket',
      'captcha_token',
      'sms_code',
      'tenant_access_token',
      'oauth_code',
      'oauth_access_token',
      'oauth_refresh_token',
      'oauth_id_token',
    ])
      expect(issuedKinds).toContain(kind);

    const personal = [
      ...[USERS.plain, USERS.mfa, USERS.other].flatMap((u) => [u.user_name, u.mobile]),
      USERS.spare.mobile,
      USERS.plain.email,
      '张三',
      PASSWORD,
      '127.0.0.1',
    ];
    const leaks: string[] = [];
    for (const e of dump) {
      const text = [e.key, ...e.values].join('\n');
      for (const s of secrets) if (containsSecret(text, s)) leaks.push(`${s.kind} in ${e.key}`);
      for (const p of personal) if (text.includes(p)) leaks.push(`"${p}" in ${e.key}`);
      if (JWT_IN_CLEAR.test(text)) leaks.push(`a JWT in ${e.key}`);
    }
    expect(leaks).toEqual([]);
    // Figures for the report: how much was searched.
    console.info(
      `16: ${dump.length} keys (${[...kinds].join(', ')}), ${secrets.length} issued secrets searched`,
    );
  });
});
