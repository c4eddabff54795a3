import { BrowserClient, Reply } from '../helpers/browser-client';
import { sendCode, solveCaptcha } from '../helpers/flows';
import { PASSWORD, useSecurityStack, USERS } from './helpers';

const LIMITS = {
  login_per_ip: 6,
  login_per_account: 3,
  sms_per_mobile_hour: 2,
  captcha_per_ip: 100,
};

/**
 * docs/security.md 45: login, OTP sending, OTP verification, registration and password reset are
 * rate-limited per client address (an IPv6 client by its /64) and, for SMS codes, per (mobile,
 * address) and per flow, in Redis, with 429 and Retry-After. Failed passwords per account lead to
 * a captcha and, one below OneAccess's lockout threshold, to a stop without Retry-After that a
 * reset by SMS lifts (test/account-protection.e2e-spec.ts, test/stranger-cannot-lock-out.e2e-spec.ts),
 * so no stranger can lock the account, nor keep its owner out. Code counters keep only failed
 * checks, so a victim's own successes cost nothing, and a stranger spends only their own share
 * (test/rate-limit.e2e-spec.ts "should hold a stranger to their own share of wrong codes").
 */
describe('45: embedded-login endpoints are rate-limited per IP and per account', () => {
  const suite = useSecurityStack({
    env: { TRUST_PROXY: 'loopback', RATE_LIMITS: JSON.stringify(LIMITS) },
  });
  let ip = 0;
  const from = (address = `198.51.100.${++ip}`) => {
    const b = new BrowserClient(suite.stack.url);
    b.headers['X-Forwarded-For'] = address;
    return b;
  };
  const expect429 = (res: Reply, windowS = 60) => {
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(windowS);
  };

  it('should limit login attempts per IP, whatever the account', async () => {
    const b = from();
    for (let i = 0; i < LIMITS.login_per_ip; i++)
      expect(
        (await b.post('/auth/login/password', { user_name: `nobody${i}`, password: 'x' })).status,
      ).toBe(401);
    expect429(
      await b.post('/auth/login/password', {
        user_name: USERS.plain.user_name,
        password: PASSWORD,
      }),
    );
    // Another client is not affected.
    expect(
      (
        await from().post('/auth/login/password', {
          user_name: USERS.plain.user_name,
          password: PASSWORD,
        })
      ).status,
    ).toBe(200);
  });

  it("should protect an account across IPs with a captcha after failures, not counting the owner's successes", async () => {
    const owner = () =>
      from().post('/auth/login/password', { user_name: USERS.other.user_name, password: PASSWORD });
    for (let i = 0; i < 5; i++) expect((await owner()).status).toBe(200);
    for (let i = 0; i < LIMITS.login_per_account; i++)
      expect(
        (
          await from().post('/auth/login/password', {
            user_name: USERS.other.user_name,
            password: `bad-${i}`,
          })
        ).status,
      ).toBe(401);
    // Failed passwords are the account protection's (ONEACCESS_LOCKOUT_THRESHOLD 10: a captcha
    // after 3, a hard stop at 9), proven in test/account-protection.e2e-spec.ts.
    const next = await from().post('/auth/login/password', {
      user_name: USERS.other.user_name,
      password: 'bad-x',
    });
    expect(next.status).toBe(409);
    expect(next.body.code).toBe('CAPTCHA_REQUIRED');
  });

  it("should limit wrong OTPs and codes sent per mobile from one address, leaving the owner's share alone", async () => {
    const mobile = USERS.spare.mobile;
    const attacker = '203.0.113.45';
    const code = await sendCode(from(), suite.stack.simulator, mobile, 'login');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < LIMITS.login_per_account; i++)
      expect(
        (await from(attacker).post('/auth/login/sms', { mobile, verify_code: wrong })).status,
      ).toBe(401);
    expect429(await from(attacker).post('/auth/login/sms', { mobile, verify_code: code }));
    // another flow has its own count; the owner at their own address is not held at all
    expect(
      (
        await from(attacker).post('/auth/password/reset', {
          mobile,
          verify_code: wrong,
          password: 'N3wPassw0rd!x',
        })
      ).status,
    ).toBe(401);
    expect((await from().post('/auth/login/sms', { mobile, verify_code: code })).status).toBe(200);
    // Two codes an hour to one number from one address: the third is refused there only.
    const sender = '203.0.113.46';
    await sendCode(from(sender), suite.stack.simulator, mobile, 'reset_password');
    await sendCode(from(sender), suite.stack.simulator, mobile, 'login');
    const c = from(sender);
    expect((await solveCaptcha(c, suite.stack.simulator, mobile)).status).toBe(200);
    expect429(await c.post('/auth/sms/send', { mobile, purpose: 'reset_password' }), 3600);
    await sendCode(from(), suite.stack.simulator, mobile, 'login');
  });

  it('should limit registrations and password resets per IP', async () => {
    for (const [path, body] of [
      [
        '/auth/register',
        (i: number) => ({
          mobile: `139000001${i}0`,
          verify_code: '123456',
          password: 'Welc0me!2026',
        }),
      ],
      [
        '/auth/password/reset',
        (i: number) => ({
          mobile: `139000002${i}0`,
          verify_code: '123456',
          password: 'Welc0me!2026',
        }),
      ],
    ] as const) {
      const b = from();
      const perIp = Math.ceil(LIMITS.login_per_ip / 3);
      for (let i = 0; i < perIp; i++) expect((await b.post(path, body(i))).status).not.toBe(429);
      expect429(await b.post(path, body(9)));
    }
  });
});
