import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import {
  jwtPayload,
  PASSWORD,
  startTestSimulator,
  waitFor,
  type SimClient,
} from './helpers/sim-test-kit';

describe('login status machine', () => {
  let sim: SimClient;

  beforeAll(async () => {
    sim = await startTestSimulator({ lockoutThreshold: 3, lockoutSeconds: 1 });
  });

  afterAll(() => sim.close());

  describe('password login', () => {
    it('should log a plain user in with session_token, a verifiable id_token and expire', async () => {
      const res = await sim.login('zhangsan');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual([
        'expire',
        'id_token',
        'session_token',
        'status',
      ]);
      expect(res.body.status).toBe('SUCCESS');
      expect(res.body.session_token).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(res.body.expire).toBe(604800);

      const [header, payload, signature] = (res.body.id_token as string).split('.');
      const jwks = await sim.request('GET', '/api/v1/oauth2/jwks');
      const jwk = (jwks.body.keys as JsonWebKey[]).find(
        (k) => k.kid === JSON.parse(Buffer.from(header, 'base64url').toString()).kid,
      );
      const key = createPublicKey({ key: jwk!, format: 'jwk' });
      expect(
        verify(
          'RSA-SHA256',
          Buffer.from(`${header}.${payload}`),
          key,
          Buffer.from(signature, 'base64url'),
        ),
      ).toBe(true);
      expect(jwtPayload(res.body.id_token)).toMatchObject({
        iss: sim.url,
        sub: '20210621095935811-5E16-6B3060ABC',
        aud: sim.sim.clientId,
        exp: expect.any(Number),
        iat: expect.any(Number),
      });
    });

    it('should require user_name and password', async () => {
      const res = await sim.sdkPost('/api/v2/sdk/login', { user_name: 'zhangsan' });
      expect(res.body).toEqual({
        error_code: 'PARAM.0006',
        error_msg: 'Parameter password required.',
      });
    });

    it('should answer ACCESS_DENIED without tokens for an access-denied user', async () => {
      const res = await sim.login('sunqi');
      expect(res.body).toEqual({ status: 'ACCESS_DENIED' });
    });

    it('should answer LOGIN.0002 with the remaining attempts for an unknown user', async () => {
      const res = await sim.login('nobody-at-all', 'Wrong1234');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error_code: 'LOGIN.0002',
        error_msg: 'Invalid account name or password. Remaining attempts: 2.',
      });
    });
  });

  describe('lockout', () => {
    it('should count down, lock with LOGIN.0001, refuse the right password while locked and unlock by itself', async () => {
      expect((await sim.login('zhouba', 'Wrong1234')).body.error_msg).toBe(
        'Invalid account name or password. Remaining attempts: 2.',
      );
      expect((await sim.login('zhouba', 'Wrong1234')).body.error_msg).toBe(
        'Invalid account name or password. Remaining attempts: 1.',
      );
      const locked = await sim.login('zhouba', 'Wrong1234');
      expect(locked.body).toEqual({
        error_code: 'LOGIN.0001',
        error_msg:
          'The user has been locked due to multiple failed logins. It will be unlocked in 0 minutes and 1 seconds.',
      });
      const stillLocked = await sim.login('zhouba', PASSWORD, { 'X-L': 'zh' });
      expect(stillLocked.body.error_code).toBe('LOGIN.0001');
      expect(stillLocked.body.error_msg).toContain('由于多次登录失败，用户已被锁定');

      await waitFor(async () => (await sim.login('zhouba')).body.status === 'SUCCESS', 5000, 100);
      // Unlocking starts a fresh count.
      expect((await sim.login('zhouba', 'Wrong1234')).body.error_msg).toContain(
        'Remaining attempts: 2.',
      );
    });

    it('should reset the count after a successful login', async () => {
      expect((await sim.login('wujiu', 'Wrong1234')).body.error_msg).toContain(
        'Remaining attempts: 2.',
      );
      expect((await sim.login('wujiu')).body.status).toBe('SUCCESS');
      expect((await sim.login('wujiu', 'Wrong1234')).body.error_msg).toContain(
        'Remaining attempts: 2.',
      );
      await sim.login('wujiu');
    });
  });

  describe('password warn and expired', () => {
    it('should answer PASSWORD_WARN with a state_token and the policy as a JSON string', async () => {
      const res = await sim.login('wangwu');
      expect(res.body.status).toBe('PASSWORD_WARN');
      expect(res.body.state_token).toMatch(
        /^eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\.[\w-]+\.[\w-]+$/,
      );
      expect(typeof res.body.data).toBe('string');
      expect(JSON.parse(res.body.data)).toMatchObject({
        minLength: 8,
        maxLength: 18,
        regEx: expect.any(String),
      });
      expect(res.body.session_token).toBeUndefined();
    });

    it('should let a warned user skip the change once', async () => {
      const warn = await sim.login('wangwu');
      const skipped = await sim.sdkGet('/api/v2/sdk/pwd/skip-update', {
        'X-state-token': warn.body.state_token,
      });
      expect(skipped.body).toMatchObject({
        status: 'SUCCESS',
        session_token: expect.any(String),
        id_token: expect.any(String),
        expire: 604800,
      });
      const reused = await sim.sdkGet('/api/v2/sdk/pwd/skip-update', {
        'X-state-token': warn.body.state_token,
      });
      expect(reused.body).toEqual({ error_code: 'PARAM.0014', error_msg: 'Invalid state token' });
    });

    it('should require X-state-token on follow-up calls', async () => {
      const res = await sim.sdkGet('/api/v2/sdk/pwd/skip-update');
      expect(res.body.error_code).toBe('PARAM.0014');
    });

    it('should refuse to skip an expired password (state_token of another step)', async () => {
      const expired = await sim.login('zhaoliu');
      expect(expired.body).toEqual({ status: 'PASSWORD_EXPIRED', state_token: expect.any(String) });
      const skipped = await sim.sdkGet('/api/v2/sdk/pwd/skip-update', {
        'X-state-token': expired.body.state_token,
      });
      expect(skipped.body.error_code).toBe('PARAM.0014');
    });

    it('should change an expired password, keeping the state_token through wrong attempts', async () => {
      const expired = await sim.login('zhaoliu');
      const headers = { 'X-state-token': expired.body.state_token };
      const wrongOld = await sim.sdkPost(
        '/api/v2/sdk/pwd/update',
        { old_password: 'Nope12345', new_password: 'NewPassw0rd' },
        headers,
      );
      expect(wrongOld.body).toEqual({
        error_code: 'PARAM.0028',
        error_msg: 'Original password is incorrect.',
      });
      const weak = await sim.sdkPost(
        '/api/v2/sdk/pwd/update',
        { old_password: PASSWORD, new_password: 'lettersonly' },
        headers,
      );
      expect(weak.body.error_code).toBe('PARAM.0027');
      const tooShort = await sim.sdkPost(
        '/api/v2/sdk/pwd/update',
        { old_password: PASSWORD, new_password: 'ab1' },
        headers,
      );
      expect(tooShort.body.error_code).toBe('PARAM.0027');
      const changed = await sim.sdkPost(
        '/api/v2/sdk/pwd/update',
        { old_password: PASSWORD, new_password: 'NewPassw0rd' },
        headers,
      );
      expect(changed.body).toMatchObject({ status: 'SUCCESS', session_token: expect.any(String) });
      expect(
        (
          await sim.sdkPost(
            '/api/v2/sdk/pwd/update',
            { old_password: 'NewPassw0rd', new_password: 'NewPassw0rd2' },
            headers,
          )
        ).body.error_code,
      ).toBe('PARAM.0014');

      // The password really changed and the user is no longer expired.
      expect((await sim.login('zhaoliu')).body.error_code).toBe('LOGIN.0002');
      expect((await sim.login('zhaoliu', 'NewPassw0rd')).body.status).toBe('SUCCESS');
    });
  });

  describe('MFA', () => {
    it('should run MFA_AUTH → mobile-by-token → OTP_REST_SMS code → SUCCESS', async () => {
      const mfa = await sim.login('lisi');
      expect(mfa.body).toEqual({ status: 'MFA_AUTH', state_token: expect.any(String) });
      const headers = { 'X-state-token': mfa.body.state_token };
      const mobile = await sim.sdkGet('/api/v2/sdk/mobile-by-token', headers);
      expect(mobile.body).toEqual({ mobile: '13800000002' });

      const loginCode = await sim.smsCode('13800000002', 'LOGIN_SMS');
      const wrongType = await sim.sdkPost(
        '/api/v2/sdk/mfa/sms',
        { mobile: '13800000002', verify_code: loginCode },
        headers,
      );
      expect(wrongType.body).toEqual({
        error_code: 'CAPTCHA.0007',
        error_msg: 'Incorrect verification code.',
      });

      const code = await sim.smsCode('13800000002', 'OTP_REST_SMS');
      const wrongMobile = await sim.sdkPost(
        '/api/v2/sdk/mfa/sms',
        { mobile: '13800000001', verify_code: code },
        headers,
      );
      expect(wrongMobile.body.error_code).toBe('PARAM.0007');
      const ok = await sim.sdkPost(
        '/api/v2/sdk/mfa/sms',
        { mobile: '13800000002', verify_code: code },
        headers,
      );
      expect(ok.body).toMatchObject({
        status: 'SUCCESS',
        session_token: expect.any(String),
        id_token: expect.any(String),
        expire: 604800,
      });

      const reused = await sim.sdkPost(
        '/api/v2/sdk/mfa/sms',
        { mobile: '13800000002', verify_code: code },
        headers,
      );
      expect(reused.body.error_code).toBe('PARAM.0014');
      const again = await sim.login('lisi');
      const codeReused = await sim.sdkPost(
        '/api/v2/sdk/mfa/sms',
        { mobile: '13800000002', verify_code: code },
        { 'X-state-token': again.body.state_token },
      );
      expect(codeReused.body.error_code).toBe('CAPTCHA.0007');
    });

    it('should refuse a state_token of another step on mobile-by-token', async () => {
      const warn = await sim.login('wangwu');
      const res = await sim.sdkGet('/api/v2/sdk/mobile-by-token', {
        'X-state-token': warn.body.state_token,
      });
      expect(res.body.error_code).toBe('PARAM.0014');
    });

    it('should expire state_tokens', async () => {
      await sim.control('PATCH', '/config', { lifetimes: { stateToken: 0.3 } });
      const mfa = await sim.login('lisi');
      const headers = { 'X-state-token': mfa.body.state_token };
      expect((await sim.sdkGet('/api/v2/sdk/mobile-by-token', headers)).status).toBe(200);
      await waitFor(
        async () =>
          (await sim.sdkGet('/api/v2/sdk/mobile-by-token', headers)).body.error_code ===
          'PARAM.0014',
      );
      await sim.control('PATCH', '/config', { lifetimes: { stateToken: 600 } });
    });
  });

  describe('SMS login, registration and password reset', () => {
    it('should log in by LOGIN_SMS code once', async () => {
      const code = await sim.smsCode('13800000001', 'LOGIN_SMS');
      const res = await sim.sdkPost('/api/v2/sdk/login/mobile-verify-code', {
        mobile: '13800000001',
        verify_code: code,
      });
      expect(res.body).toMatchObject({ status: 'SUCCESS', session_token: expect.any(String) });
      const reused = await sim.sdkPost('/api/v2/sdk/login/mobile-verify-code', {
        mobile: '13800000001',
        verify_code: code,
      });
      expect(reused.body.error_code).toBe('CAPTCHA.0007');
    });

    it('should refuse an SMS login for a mobile without a user (USER.0001) and a wrong code', async () => {
      const code = await sim.smsCode('13700000001', 'LOGIN_SMS');
      expect(
        (
          await sim.sdkPost('/api/v2/sdk/login/mobile-verify-code', {
            mobile: '13700000001',
            verify_code: code,
          })
        ).body.error_code,
      ).toBe('USER.0001');
      const wrong = code === '000000' ? '111111' : '000000';
      expect(
        (
          await sim.sdkPost('/api/v2/sdk/login/mobile-verify-code', {
            mobile: '13800000001',
            verify_code: wrong,
          })
        ).body.error_code,
      ).toBe('CAPTCHA.0007');
    });

    it('should expire SMS codes', async () => {
      await sim.control('PATCH', '/config', { lifetimes: { smsCode: 0.3 } });
      const code = await sim.smsCode('13800000001', 'REGISTER_SMS');
      // Registering a taken mobile checks the code first and does not use it: USER.0002 while it lives.
      const probe = (): ReturnType<SimClient['sdkPost']> =>
        sim.sdkPost('/api/v2/sdk/register/mobile-verify-code', {
          mobile: '13800000001',
          verify_code: code,
        });
      expect((await probe()).body.error_code).toBe('USER.0002');
      await waitFor(async () => (await probe()).body.error_code === 'CAPTCHA.0007');
      await sim.control('PATCH', '/config', { lifetimes: { smsCode: 300 } });
    });

    it('should register a new user by REGISTER_SMS code and let them log in', async () => {
      const mobile = '13600000001';
      const code = await sim.smsCode(mobile, 'REGISTER_SMS');
      const weak = await sim.sdkPost('/api/v2/sdk/register/mobile-verify-code', {
        mobile,
        verify_code: code,
        user_name: 'newbie',
        pwd: 'short',
      });
      expect(weak.body.error_code).toBe('PARAM.0027');
      const taken = await sim.sdkPost('/api/v2/sdk/register/mobile-verify-code', {
        mobile,
        verify_code: code,
        user_name: 'zhangsan',
      });
      expect(taken.body.error_code).toBe('USER.0003');
      const res = await sim.sdkPost('/api/v2/sdk/register/mobile-verify-code', {
        mobile,
        verify_code: code,
        user_name: 'newbie',
        name: 'New Bie',
        pwd: 'Newbie2024',
        attr_gender: 'female',
        extension: { age: '18' },
      });
      expect(res.body).toMatchObject({
        status: 'SUCCESS',
        session_token: expect.any(String),
        expire: 604800,
      });
      expect((await sim.login('newbie', 'Newbie2024')).body.status).toBe('SUCCESS');
    });

    it('should reset a password by FORGET_PWD_SMS code with an empty 200', async () => {
      const code = await sim.smsCode('13800000007', 'FORGET_PWD_SMS');
      const weak = await sim.sdkPost('/api/v2/sdk/pwd/update-by-mobile', {
        mobile: '13800000007',
        verify_code: code,
        password: '12345678',
      });
      expect(weak.body.error_code).toBe('PARAM.0027');
      const res = await sim.sdkPost('/api/v2/sdk/pwd/update-by-mobile', {
        mobile: '13800000007',
        verify_code: code,
        password: 'Reset2024x',
      });
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      expect((await sim.login('wujiu', 'Reset2024x')).body.status).toBe('SUCCESS');
    });
  });
});
