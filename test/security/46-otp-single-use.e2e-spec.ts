import { BrowserClient } from '../helpers/browser-client';
import { sendCode, simControl } from '../helpers/flows';
import { waitFor } from '../helpers/wait-for';
import { dumpRedis, mfaLogin, PASSWORD, USERS, useSecurityStack } from './helpers';

/**
 * docs/security.md 46: an SMS code works once (login, MFA, reset), the gateway keeps no copy to replay
 * (it is not in Redis after use: nothing under the prefix holds it), and an expired code is
 * refused. The lifetime is OneAccess's (undocumented; the simulator's default is 300 s, within
 * the 10 minutes asked): shortened to 1 s here to see it enforced upstream.
 */
describe('46: OTPs are single-use, not kept, and expire', () => {
  const suite = useSecurityStack();

  it('should accept each code once and keep none of them', async () => {
    const b = new BrowserClient(suite.stack.url);
    const code = await sendCode(b, suite.stack.simulator, USERS.other.mobile, 'login');
    expect(
      (await b.post('/auth/login/sms', { mobile: USERS.other.mobile, verify_code: code })).body
        .status,
    ).toBe('SUCCESS');
    const again = await new BrowserClient(suite.stack.url).post('/auth/login/sms', {
      mobile: USERS.other.mobile,
      verify_code: code,
    });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('INVALID_CREDENTIALS');

    const mfa = await mfaLogin(suite.stack.url, suite.stack.simulator);
    const replay = new BrowserClient(suite.stack.url);
    await replay.post('/auth/login/password', {
      user_name: USERS.mfa.user_name,
      password: PASSWORD,
    });
    expect((await replay.post('/auth/mfa/sms', { verify_code: mfa.code })).status).toBe(401);

    const dump = JSON.stringify(await dumpRedis(suite.stack.redisUrl, suite.stack.keyPrefix));
    for (const c of [code, mfa.code])
      expect(dump).not.toMatch(new RegExp(`(?<![0-9A-Za-z])${c}(?![0-9A-Za-z])`));
  });

  it('should refuse a code after its lifetime', async () => {
    await simControl(suite.stack.simulator, 'PATCH', 'config', { lifetimes: { smsCode: 1 } });
    try {
      const b = new BrowserClient(suite.stack.url);
      const code = await sendCode(b, suite.stack.simulator, USERS.plain.mobile, 'login');
      const sent = Date.now();
      await waitFor(() => Date.now() > sent + 1100, 3000, 'the code to expire');
      const res = await b.post('/auth/login/sms', {
        mobile: USERS.plain.mobile,
        verify_code: code,
      });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('INVALID_CREDENTIALS');
    } finally {
      await simControl(suite.stack.simulator, 'PATCH', 'config', { lifetimes: { smsCode: 300 } });
    }
  });
});
