import type { SocialAccountView } from '../src/modules/auth/auth.types';
import { BrowserClient, Recorded } from './helpers/browser-client';
import { sendCode, simControl, solveCaptcha } from './helpers/flows';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { waitFor } from './helpers/wait-for';
import { JWT_IN_CLEAR } from './helpers/jwt-pattern';

/** Seed users of simulator/seed/default-seed.json. */
const PASSWORD = 'Passw0rd!2024';
const U = {
  plain: { user_name: 'zhangsan', mobile: '13800000001', id: '20210621095935811-5E16-6B3060ABC' },
  mfa: { user_name: 'lisi', mobile: '13800000002' },
  warn: { user_name: 'wangwu', mobile: '13800000003' },
  expired: { user_name: 'zhaoliu', mobile: '13800000004' },
  denied: { user_name: 'sunqi', mobile: '13800000005' },
  other: { user_name: 'zhouba', mobile: '13800000006' },
  lockable: { user_name: 'wujiu', mobile: '13800000007' },
};

describe('OneAccess login flows through /auth (contract section 4)', () => {
  let stack: GatewayStack;
  const recorded: Recorded[] = [];
  const browser = () => new BrowserClient(stack.gateway.url, recorded);
  const sim = () => stack.simulator;

  async function passwordLogin(user: { user_name: string }, password = PASSWORD, b = browser()) {
    const res = await b.post('/auth/login/password', { user_name: user.user_name, password });
    return { b, res };
  }

  beforeAll(async () => {
    stack = await startGatewayStack({
      simulator: { smsResendIntervalS: 0, lockoutThreshold: 3, lockoutSeconds: 2 },
    });
  });
  afterAll(() => stack.close());

  describe('password login', () => {
    it('should sign in, regenerate the session id, and answer the masked session view', async () => {
      const b = browser();
      await b.get('/auth/captcha'); // creates a pre-login session
      const before = b.cookies.get('__Host-bff');
      expect(before).toBeDefined();
      const res = await b.post('/auth/login/password', {
        user_name: U.plain.user_name,
        password: PASSWORD,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        authenticated: true,
        status: 'SUCCESS',
        user: {
          id: U.plain.id,
          user_name: 'zhangsan',
          name: '张三',
          mobile: '138****0001',
          email: 'z***@example.com',
        },
        login_method: 'password',
        pending: null,
      });
      const absolute = Date.parse(res.body.expires_at) - Date.now();
      expect(absolute).toBeGreaterThan(43_000_000);
      expect(Date.parse(res.body.idle_expires_at)).toBeLessThanOrEqual(
        Date.parse(res.body.expires_at),
      );
      const cookie = res.setCookie.find((c) => c.startsWith('__Host-bff='))!;
      expect(cookie).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
      expect(cookie).not.toMatch(/Expires|Max-Age|Domain/i);
      expect(b.cookies.get('__Host-bff')).not.toBe(before);
      expect((await b.get('/auth/session')).body.status).toBe('SUCCESS');

      const stale = new BrowserClient(stack.gateway.url, recorded);
      stale.cookies.set('__Host-bff', before!);
      expect((await stale.get('/auth/session')).body.status).toBe('ANONYMOUS');
    });

    it('should refuse a wrong password with remaining attempts and the upstream code', async () => {
      const { res } = await passwordLogin(U.other, 'wrong-password-1');
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'INVALID_CREDENTIALS', upstream_code: 'LOGIN.0002' });
      expect(res.body.message).toMatch(/Remaining attempts: \d+/);
    });

    it("should show OneAccess's own message in Chinese for a zh browser", async () => {
      const b = browser();
      b.headers['Accept-Language'] = 'zh-CN,zh;q=0.9';
      const { res } = await passwordLogin(U.other, 'wrong-password-2', b);
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    });

    it('should lock the account after repeated failures, say when it unlocks, and unlock by itself', async () => {
      let res = (await passwordLogin(U.lockable, 'nope')).res;
      for (let i = 0; i < 5 && res.body.code !== 'ACCOUNT_LOCKED'; i++)
        res = (await passwordLogin(U.lockable, 'nope')).res;
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'ACCOUNT_LOCKED' });
      expect(res.body.message).toMatch(/unlock/i);
      // the right password is refused while locked
      expect((await passwordLogin(U.lockable)).res.body.code).toBe('ACCOUNT_LOCKED');
      await waitFor(
        async () => (await passwordLogin(U.lockable)).res.status === 200,
        10_000,
        'auto-unlock',
      );
    });

    it('should answer 403 ACCESS_DENIED for a user a policy denies, and stay anonymous', async () => {
      const { b, res } = await passwordLogin(U.denied);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('ACCESS_DENIED');
      expect((await b.get('/auth/session')).body.status).toBe('ANONYMOUS');
    });

    it('should refuse missing and unknown fields before calling OneAccess', async () => {
      const missing = await browser().post('/auth/login/password', { user_name: 'zhangsan' });
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toEqual([{ field: 'password', message: expect.any(String) }]);
      const extra = await browser().post('/auth/login/password', {
        user_name: 'zhangsan',
        password: 'x',
        remember: true,
      });
      expect(extra.status).toBe(400);
      expect(extra.body.errors[0].field).toBe('remember');
    });
  });

  describe('MFA step (SMS second factor)', () => {
    it('should hold the MFA step server-side and show only the masked number', async () => {
      const { b, res } = await passwordLogin(U.mfa);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        authenticated: false,
        status: 'MFA_AUTH',
        user: null,
        login_method: 'password',
        pending: { mobile: '138****0002' },
      });
      expect((await b.get('/auth/mfa')).body).toEqual({ mobile: '138****0002' });
    });

    it('should refuse a step endpoint outside its step with 409 NO_PENDING_STEP', async () => {
      const { b } = await passwordLogin(U.mfa);
      expect((await b.post('/auth/password/skip')).body.code).toBe('NO_PENDING_STEP');
      expect((await browser().post('/auth/mfa/sms', { verify_code: '123456' })).body.code).toBe(
        'NO_PENDING_STEP',
      );
      expect((await browser().get('/auth/mfa')).status).toBe(409);
    });

    it('should require a verified captcha before sending the code', async () => {
      const { b } = await passwordLogin(U.mfa);
      const res = await b.post('/auth/sms/send', { purpose: 'mfa' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CAPTCHA_REQUIRED');
    });

    it('should refuse a captcha solved at the wrong place', async () => {
      const { b } = await passwordLogin(U.mfa);
      const res = await solveCaptcha(b, sim(), undefined, 60);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('UPSTREAM_REJECTED');
      expect(res.body.upstream_code).toBeDefined();
      expect((await b.post('/auth/sms/send', { purpose: 'mfa' })).body.code).toBe(
        'CAPTCHA_REQUIRED',
      );
    });

    it('should refuse a wrong code, keep the step, then complete it and regenerate the session', async () => {
      const { b } = await passwordLogin(U.mfa);
      const code = await sendCode(b, sim(), U.mfa.mobile, 'mfa', true);
      const wrong = await b.post('/auth/mfa/sms', {
        verify_code: code === '000000' ? '111111' : '000000',
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
      expect((await b.get('/auth/session')).body.status).toBe('MFA_AUTH');
      const before = b.cookies.get('__Host-bff');
      const ok = await b.post('/auth/mfa/sms', { verify_code: code });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        authenticated: true,
        status: 'SUCCESS',
        login_method: 'password',
        user: { user_name: 'lisi' },
      });
      expect(b.cookies.get('__Host-bff')).not.toBe(before);

      // the code was single use
      const again = (await passwordLogin(U.mfa)).b;
      const reuse = await again.post('/auth/mfa/sms', { verify_code: code });
      expect(reuse.status).toBe(401);
    });

    it('should let a new login replace a pending step', async () => {
      const { b } = await passwordLogin(U.mfa);
      const res = await b.post('/auth/login/password', {
        user_name: U.plain.user_name,
        password: PASSWORD,
      });
      expect(res.body).toMatchObject({ status: 'SUCCESS', user: { user_name: 'zhangsan' } });
    });

    it('should end the step when it expires', async () => {
      const short = await startGatewayStack({
        env: { PENDING_STEP_TTL_S: '1' },
        simulator: { smsResendIntervalS: 0 },
      });
      try {
        const b = new BrowserClient(short.gateway.url, recorded);
        expect(
          (await b.post('/auth/login/password', { user_name: U.mfa.user_name, password: PASSWORD }))
            .body.status,
        ).toBe('MFA_AUTH');
        await waitFor(
          async () => (await b.get('/auth/session')).body.status === 'ANONYMOUS',
          5000,
          'step expiry',
        );
        expect((await b.post('/auth/mfa/sms', { verify_code: '123456' })).body.code).toBe(
          'NO_PENDING_STEP',
        );
      } finally {
        await short.close();
      }
    });
  });

  describe('SMS login', () => {
    it('should send a login code only after a captcha for that very mobile', async () => {
      const b = browser();
      expect(
        (await b.post('/auth/sms/send', { mobile: U.other.mobile, purpose: 'login' })).body.code,
      ).toBe('CAPTCHA_REQUIRED');
      expect((await solveCaptcha(b, sim(), U.plain.mobile)).status).toBe(200);
      expect(
        (await b.post('/auth/sms/send', { mobile: U.other.mobile, purpose: 'login' })).body.code,
      ).toBe('CAPTCHA_REQUIRED');
      const sent = await b.post('/auth/sms/send', { mobile: U.plain.mobile, purpose: 'login' });
      expect(sent.body).toEqual({ sent: true, retry_after_s: 60 });
      // the captcha is used up by one SMS
      expect(
        (await b.post('/auth/sms/send', { mobile: U.plain.mobile, purpose: 'login' })).body.code,
      ).toBe('CAPTCHA_REQUIRED');
    });

    it('should sign in with the code, and refuse it a second time', async () => {
      const b = browser();
      const code = await sendCode(b, sim(), U.other.mobile, 'login');
      const res = await b.post('/auth/login/sms', { mobile: U.other.mobile, verify_code: code });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'SUCCESS',
        login_method: 'sms',
        user: { user_name: 'zhouba', mobile: '138****0006' },
      });
      const reused = await browser().post('/auth/login/sms', {
        mobile: U.other.mobile,
        verify_code: code,
      });
      expect(reused.status).toBe(401);
      expect(reused.body.code).toBe('INVALID_CREDENTIALS');
    });

    it('should refuse a wrong code', async () => {
      const b = browser();
      const code = await sendCode(b, sim(), U.other.mobile, 'login');
      const res = await b.post('/auth/login/sms', {
        mobile: U.other.mobile,
        verify_code: code === '999999' ? '888888' : '999999',
      });
      expect(res.status).toBe(401);
    });

    it('should refuse an unknown purpose', async () => {
      const res = await browser().post('/auth/sms/send', {
        mobile: U.other.mobile,
        purpose: 'marketing',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('purpose');
    });
  });

  describe('password about to expire, and expired', () => {
    it('should offer PASSWORD_WARN with the policy, and let the user skip', async () => {
      const { b, res } = await passwordLogin(U.warn);
      expect(res.body).toMatchObject({
        status: 'PASSWORD_WARN',
        pending: { can_skip: true, password_policy: expect.any(Object) },
      });
      expect(Object.keys(res.body.pending.password_policy).length).toBeGreaterThan(0);
      const skipped = await b.post('/auth/password/skip');
      expect(skipped.body).toMatchObject({ status: 'SUCCESS', user: { user_name: 'wangwu' } });
    });

    it('should refuse the update with a wrong old password and keep the step', async () => {
      const { b } = await passwordLogin(U.warn);
      const res = await b.post('/auth/password/update', {
        old_password: 'not-it-1',
        new_password: 'N3wPassw0rd!x',
      });
      expect([400, 401]).toContain(res.status);
      expect(res.body.upstream_code).toBeDefined();
      expect((await b.get('/auth/session')).body.status).toBe('PASSWORD_WARN');
    });

    it('should force an expired password to be changed, not skipped', async () => {
      const { b, res } = await passwordLogin(U.expired);
      expect(res.body).toMatchObject({ status: 'PASSWORD_EXPIRED', pending: { can_skip: false } });
      expect((await b.post('/auth/password/skip')).body.code).toBe('NO_PENDING_STEP');
      const changed = await b.post('/auth/password/update', {
        old_password: PASSWORD,
        new_password: 'Chang3dPass!9',
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ status: 'SUCCESS', user: { user_name: 'zhaoliu' } });
      expect((await passwordLogin(U.expired, 'Chang3dPass!9')).res.body.status).toBe('SUCCESS');
    });

    it('should end the step when OneAccess no longer accepts its state_token', async () => {
      await simControl(sim(), 'PATCH', 'config', { lifetimes: { stateToken: 0.001 } });
      try {
        const { b } = await passwordLogin(U.warn);
        const res = await b.post('/auth/password/skip');
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ code: 'UPSTREAM_REJECTED', upstream_code: 'PARAM.0014' });
        expect((await b.get('/auth/session')).body.status).toBe('ANONYMOUS');
      } finally {
        await simControl(sim(), 'PATCH', 'config', { lifetimes: { stateToken: 600 } });
      }
    });
  });

  describe('WeChat and Alipay', () => {
    it('should sign in with a bound WeChat or Alipay identity', async () => {
      const wx = await browser().post('/auth/login/social/wechat', { code: 'wx-code-zhangsan' });
      expect(wx.body).toMatchObject({
        status: 'SUCCESS',
        login_method: 'wechat',
        user: { user_name: 'zhangsan' },
      });
      const ali = await browser().post('/auth/login/social/alipay', { code: 'ali-code-zhangsan' });
      expect(ali.body).toMatchObject({
        status: 'SUCCESS',
        login_method: 'alipay',
        user: { user_name: 'zhangsan' },
      });
    });

    it('should ask to bind an unknown identity, and bind it to an existing user by SMS', async () => {
      const b = browser();
      const res = await b.post('/auth/login/social/wechat', { code: 'new-wx-bind-1' });
      expect(res.body).toMatchObject({
        status: 'SOCIAL_BIND',
        authenticated: false,
        login_method: 'wechat',
        pending: { provider: 'wechat' },
      });
      const code = await sendCode(b, sim(), U.other.mobile, 'bind');
      const wrong = await b.post('/auth/social/bind', {
        mobile: U.other.mobile,
        verify_code: code === '000000' ? '111111' : '000000',
      });
      expect(wrong.status).toBe(401);
      const bound = await b.post('/auth/social/bind', {
        mobile: U.other.mobile,
        verify_code: code,
      });
      expect(bound.body).toMatchObject({
        status: 'SUCCESS',
        login_method: 'wechat',
        user: { user_name: 'zhouba' },
      });
      // the identity now signs in directly
      expect(
        (await browser().post('/auth/login/social/wechat', { code: 'new-wx-bind-1' })).body.status,
      ).toBe('SUCCESS');
    });

    it('should register a new user and bind the identity in one step', async () => {
      const b = browser();
      expect(
        (await b.post('/auth/login/social/alipay', { code: 'new-ali-reg-1' })).body.pending,
      ).toEqual({ provider: 'alipay' });
      const code = await sendCode(b, sim(), '13900000001', 'bind');
      const res = await b.post('/auth/social/register-bind', {
        mobile: '13900000001',
        verify_code: code,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'SUCCESS',
        login_method: 'alipay',
        user: { mobile: '139****0001' },
      });
    });

    it('should refuse an unknown provider and a bind outside the step', async () => {
      expect((await browser().post('/auth/login/social/qq', { code: 'x' })).status).toBe(400);
      expect(
        (
          await browser().post('/auth/social/bind', {
            mobile: U.other.mobile,
            verify_code: '123456',
          })
        ).body.code,
      ).toBe('NO_PENDING_STEP');
    });
  });

  describe('registration and password reset', () => {
    it('should register with a mobile code and be signed in', async () => {
      const b = browser();
      const code = await sendCode(b, sim(), '13900000002', 'register');
      const res = await b.post('/auth/register', {
        mobile: '13900000002',
        verify_code: code,
        user_name: 'newcomer',
        password: 'Welc0me!2026',
        name: 'New Comer',
        email: 'newcomer@example.com',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'SUCCESS',
        login_method: 'register',
        user: { user_name: 'newcomer', email: 'n***@example.com' },
      });
      expect((await passwordLogin({ user_name: 'newcomer' }, 'Welc0me!2026')).res.body.status).toBe(
        'SUCCESS',
      );
    });

    it('should refuse to register a mobile that already has a user', async () => {
      const b = browser();
      const code = await sendCode(b, sim(), U.plain.mobile, 'register');
      const res = await b.post('/auth/register', {
        mobile: U.plain.mobile,
        verify_code: code,
        password: 'Welc0me!2026',
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('UPSTREAM_REJECTED');
    });

    it('should reset a password with a mobile code', async () => {
      const b = browser();
      const code = await sendCode(b, sim(), U.other.mobile, 'reset_password');
      const res = await b.post('/auth/password/reset', {
        mobile: U.other.mobile,
        verify_code: code,
        password: 'R3setPass!77',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ reset: true });
      expect((await passwordLogin(U.other, 'R3setPass!77')).res.body.status).toBe('SUCCESS');
      expect((await passwordLogin(U.other)).res.status).toBe(401);
      // the code cannot be used twice
      const again = await browser().post('/auth/password/reset', {
        mobile: U.other.mobile,
        verify_code: code,
        password: 'An0therPass!8',
      });
      expect(again.status).toBe(401);
    });
  });

  describe('profile and social accounts', () => {
    it('should refuse account endpoints without a session', async () => {
      for (const path of ['/auth/profile', '/auth/social/accounts']) {
        const res = await browser().get(path);
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
      expect((await browser().delete('/auth/social/accounts/abc')).status).toBe(401);
    });

    it('should show the unmasked profile and round-trip an update', async () => {
      const { b } = await passwordLogin(U.plain);
      const profile = await b.get('/auth/profile');
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({
        user_name: 'zhangsan',
        mobile: U.plain.mobile,
        email: 'zhangsan@example.com',
      });
      const patched = await b.patch('/auth/profile', {
        attr_nick_name: 'Sanzi',
        attr_gender: 'male',
        extension: { team: 'blue' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ attr_nick_name: 'Sanzi', attr_gender: 'male' });
      expect((await b.get('/auth/profile')).body.attr_nick_name).toBe('Sanzi');
      const refused = await b.patch('/auth/profile', { email: 'other@example.com' });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].field).toBe('email');
    });

    it('should list bound social accounts and unbind one', async () => {
      const { b } = await passwordLogin(U.plain);
      const list = await b.get('/auth/social/accounts');
      expect(list.status).toBe(200);
      const accounts = list.body.accounts as SocialAccountView[];
      const types = accounts.map((a) => a.type);
      expect(types).toEqual(expect.arrayContaining(['weixin', 'alipay']));
      const alipay = accounts.find((a) => a.type === 'alipay')!;
      expect(alipay).toMatchObject({
        id: expect.any(String),
        nickname: 'San on Alipay',
        head_image: expect.stringMatching(/^https:/),
      });
      expect(Number.isNaN(Date.parse(alipay.bound_at ?? ''))).toBe(false);
      expect((await b.delete(`/auth/social/accounts/${alipay.id}`)).status).toBe(204);
      const after = (
        (await b.get('/auth/social/accounts')).body.accounts as SocialAccountView[]
      ).map((a) => a.id);
      expect(after).not.toContain(alipay.id);
    });
  });

  describe('logout', () => {
    it('should end both sessions, expire the cookie and refuse the old cookie afterwards', async () => {
      const { b } = await passwordLogin(U.plain);
      const old = b.cookies.get('__Host-bff')!;
      const res = await b.post('/auth/logout');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ logged_out: true });
      expect(res.headers['clear-site-data']).toBe('"cookies"');
      const expiring = res.setCookie.find((c) => c.startsWith('__Host-bff='))!;
      expect(expiring).toMatch(
        /Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict/,
      );
      const replay = new BrowserClient(stack.gateway.url, recorded);
      replay.cookies.set('__Host-bff', old);
      expect((await replay.get('/auth/session')).body.status).toBe('ANONYMOUS');
      expect((await replay.get('/auth/profile')).status).toBe(401);
      const journal = await simControl<{ path: string }[]>(sim(), 'GET', 'journal');
      expect(journal.some((j) => j.path === '/api/v2/sdk/logout')).toBe(true);
    });

    it('should log out even while OneAccess is down', async () => {
      const { b } = await passwordLogin(U.plain);
      await simControl(sim(), 'POST', 'failure', { mode: 'down' });
      try {
        const res = await b.post('/auth/logout');
        expect(res.status).toBe(200);
      } finally {
        await simControl(sim(), 'POST', 'failure', { mode: 'none' });
      }
      expect((await b.get('/auth/session')).body.status).toBe('ANONYMOUS');
    });

    it('should answer an upstream outage during login as 503 and keep nothing half-done', async () => {
      await simControl(sim(), 'POST', 'failure', { mode: 'down' });
      try {
        const { b, res } = await passwordLogin(U.plain);
        expect(res.status).toBe(503);
        expect(res.body.code).toBe('UPSTREAM_UNAVAILABLE');
        // OneAccess is the identity service; "the API" is only a relay target's failure.
        expect(res.body.message).toBe('The identity service is unavailable. Try again shortly.');
        expect((await b.get('/auth/session')).body.status).toBe('ANONYMOUS');
      } finally {
        await simControl(sim(), 'POST', 'failure', { mode: 'none' });
      }
    });
  });

  describe('timeouts', () => {
    it('should end an idle session, and a ?slide=false poll should not keep it alive', async () => {
      const short = await startGatewayStack({ env: { SESSION_IDLE_TIMEOUT_S: '2' } });
      try {
        const b = new BrowserClient(short.gateway.url, recorded);
        expect(
          (
            await b.post('/auth/login/password', {
              user_name: U.plain.user_name,
              password: PASSWORD,
            })
          ).body.status,
        ).toBe('SUCCESS');
        const polled = await waitFor(
          async () => {
            const view = await b.get('/auth/session?slide=false');
            return view.body.status === 'ANONYMOUS' ? view : undefined;
          },
          8000,
          'idle expiry while polling',
        );
        expect(polled!.status).toBe(200);
        expect((await b.get('/auth/profile')).status).toBe(401);
      } finally {
        await short.close();
      }
    });

    it('should end a session at its absolute timeout however active it is', async () => {
      const short = await startGatewayStack({
        env: { SESSION_IDLE_TIMEOUT_S: '2', SESSION_ABSOLUTE_TIMEOUT_S: '3' },
      });
      try {
        const b = new BrowserClient(short.gateway.url, recorded);
        const login = await b.post('/auth/login/password', {
          user_name: U.plain.user_name,
          password: PASSWORD,
        });
        const absoluteEnd = Date.parse(login.body.expires_at);
        expect(absoluteEnd - Date.now()).toBeLessThanOrEqual(3000);
        // keep it busy: every call is activity and moves the idle timer, never the absolute one
        const ended = await waitFor(
          async () => {
            const r = await b.get('/auth/profile');
            return r.status === 401 ? r : undefined;
          },
          8000,
          'the absolute timeout',
        );
        expect(Date.now()).toBeGreaterThanOrEqual(absoluteEnd);
        expect(ended!.body.code).toBe('SESSION_EXPIRED');
      } finally {
        await short.close();
      }
    });

    it('should answer SESSION_EXPIRED when a signed-in call finds the idle timeout passed', async () => {
      const short = await startGatewayStack({ env: { SESSION_IDLE_TIMEOUT_S: '1' } });
      try {
        const b = new BrowserClient(short.gateway.url, recorded);
        const login = await b.post('/auth/login/password', {
          user_name: U.plain.user_name,
          password: PASSWORD,
        });
        const idleEnds = Date.parse(login.body.idle_expires_at);
        // Any call to the gateway would count as activity: wait on the clock alone.
        await waitFor(() => Date.now() > idleEnds + 50, 5000, 'the announced idle expiry');
        const res = await b.get('/auth/profile');
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('SESSION_EXPIRED');
        expect((await b.get('/auth/session')).body.status).toBe('ANONYMOUS');
      } finally {
        await short.close();
      }
    });
  });

  it('should never reveal a token the simulator issued in any response of this suite', async () => {
    const issued = await simControl<{ tokens: { kind: string; value: string }[] }>(
      sim(),
      'GET',
      'issued-tokens',
    );
    // The captcha `token` is meant for the browser (contract section 1); everything else is not.
    const secrets = issued.tokens.filter((t) => t.kind !== 'captcha');
    expect(secrets.length).toBeGreaterThan(20);
    const kinds = new Set(secrets.map((t) => t.kind));
    for (const kind of [
      'session_token',
      'id_token',
      'state_token',
      'sso_ticket',
      'captcha_token',
      'sms_code',
      'tenant_access_token',
    ]) {
      expect(kinds).toContain(kind);
    }
    expect(recorded.length).toBeGreaterThan(100);
    const leaks: string[] = [];
    for (const r of recorded) {
      // captcha images are long base64: six-digit SMS codes occur in them by chance, so codes are
      // looked for as whole numbers in everything but the images.
      const text = `${JSON.stringify(r.headers)}\n${r.text}`;
      const withoutImages = text.replace(/"(original|jigsaw)_image_base64":"[^"]*"/g, '');
      for (const t of secrets) {
        const found =
          t.kind === 'sms_code'
            ? new RegExp(`(?<![0-9])${t.value}(?![0-9])`).test(withoutImages)
            : text.includes(t.value);
        if (found) leaks.push(`${t.kind} in ${r.method} ${r.path}`);
      }
      if (JWT_IN_CLEAR.test(withoutImages)) leaks.push(`a JWT in ${r.method} ${r.path}`);
    }
    expect(leaks).toEqual([]);
  });
});
