import { failure } from '../../../test/helpers/oneaccess-mock';
import {
  DEVICE,
  ENDPOINT,
  JSON_TYPE,
  SDK,
  SDK_HEADERS,
  SUCCESS,
  useSdkMock,
} from '../../../test/helpers/sdk-fixture';
import { OneAccessEndpoint } from './oneaccess-endpoint';
import { LoginResult, Registration } from './oneaccess.types';
import { SdkLoginClient } from './sdk-login.client';

const fx = useSdkMock();
const build = (endpoint?: OneAccessEndpoint): SdkLoginClient => fx.build(SdkLoginClient, endpoint);

describe('SdkLoginClient login-type calls', () => {
  const registration: Registration = {
    mobile: '13800000000',
    verify_code: '123456',
    user_name: 'zhangsan',
    pwd: 'Passw0rd!',
    name: 'Zhang San',
    email: 'z@example.com',
  };
  const cases: [
    string,
    (c: SdkLoginClient) => Promise<LoginResult>,
    string,
    string,
    unknown,
    string | undefined,
  ][] = [
    [
      'loginWithPassword',
      (c) => c.loginWithPassword(DEVICE, 'zhangsan', 'Passw0rd!'),
      'POST',
      `${SDK}/login`,
      { user_name: 'zhangsan', password: 'Passw0rd!' },
      undefined,
    ],
    [
      'loginWithSms',
      (c) => c.loginWithSms(DEVICE, '13800000000', '123456'),
      'POST',
      `${SDK}/login/mobile-verify-code`,
      { mobile: '13800000000', verify_code: '123456' },
      undefined,
    ],
    [
      'loginWithWechat',
      (c) => c.loginWithWechat(DEVICE, 'wx-code'),
      'POST',
      `${SDK}/login/wechat`,
      { code: 'wx-code' },
      undefined,
    ],
    [
      'loginWithAlipay',
      (c) => c.loginWithAlipay(DEVICE, 'ali-code'),
      'POST',
      '/api/v3/sdk/login/alipay',
      { code: 'ali-code' },
      undefined,
    ],
    [
      'verifyMfaSms',
      (c) => c.verifyMfaSms(DEVICE, 'st-mfa', '13800000000', '654321'),
      'POST',
      `${SDK}/mfa/sms`,
      { mobile: '13800000000', verify_code: '654321' },
      'st-mfa',
    ],
    [
      'register',
      (c) => c.register(DEVICE, registration),
      'POST',
      `${SDK}/register/mobile-verify-code`,
      registration,
      undefined,
    ],
    [
      'skipPasswordUpdate',
      (c) => c.skipPasswordUpdate(DEVICE, 'st-warn'),
      'GET',
      `${SDK}/pwd/skip-update`,
      undefined,
      'st-warn',
    ],
    [
      'updatePassword',
      (c) => c.updatePassword(DEVICE, 'st-exp', 'old-pw', 'new-pw'),
      'POST',
      `${SDK}/pwd/update`,
      { old_password: 'old-pw', new_password: 'new-pw' },
      'st-exp',
    ],
    [
      'bindSocial',
      (c) => c.bindSocial(DEVICE, 'st-soc', '13800000000', '111111'),
      'POST',
      `${SDK}/social/bind`,
      { mobile: '13800000000', verify_code: '111111' },
      'st-soc',
    ],
    [
      'registerBindSocial',
      (c) => c.registerBindSocial(DEVICE, 'st-soc', '13800000000', '222222'),
      'POST',
      `${SDK}/social/register-bind`,
      { mobile: '13800000000', verify_code: '222222' },
      'st-soc',
    ],
  ];

  it.each(cases)(
    'should send %s as the documented request and return the login result',
    async (_name, invoke, method, path, body, stateToken) => {
      fx.answer(method, path, 200, SUCCESS);

      const result = await invoke(build());

      expect(result).toEqual(SUCCESS);
      const req = fx.only();
      expect(req.method).toBe(method);
      expect(req.path).toBe(path);
      expect(req.headers).toEqual({
        ...SDK_HEADERS,
        ...(body === undefined ? {} : JSON_TYPE),
        ...(stateToken === undefined ? {} : { 'X-state-token': stateToken }),
      });
      if (body === undefined) expect(req.body).toBeUndefined();
      else expect(JSON.parse(req.body!)).toEqual(body);
    },
  );

  it('should send only the documented registration fields', async () => {
    fx.answer('POST', `${SDK}/register/mobile-verify-code`, 200, SUCCESS);
    const fields = { mobile: '13800000000', verify_code: '1', is_admin: true } as Registration;

    await build().register(DEVICE, fields);

    expect(JSON.parse(fx.only().body!)).toEqual({ mobile: '13800000000', verify_code: '1' });
  });

  it('should omit X-device-ip and X-tenant-id when there is no client address and no tenant', async () => {
    fx.answer('POST', `${SDK}/login`, 200, SUCCESS);
    const noTenant = { ...ENDPOINT, tenantId: undefined };

    await build(noTenant).loginWithPassword({ ...DEVICE, ip: '' }, 'u', 'p');

    const expected: Record<string, string> = { ...SDK_HEADERS, ...JSON_TYPE };
    delete expected['X-device-ip'];
    delete expected['X-tenant-id'];
    expect(fx.only().headers).toEqual(expected);
  });

  it.each([
    ['MFA_AUTH', { status: 'MFA_AUTH', state_token: 'st-1' }],
    ['SOCIAL_BIND', { status: 'SOCIAL_BIND', state_token: 'st-2' }],
    ['PASSWORD_EXPIRED', { status: 'PASSWORD_EXPIRED', state_token: 'st-3' }],
    ['ACCESS_DENIED', { status: 'ACCESS_DENIED' }],
  ])('should return a %s result with exactly its documented fields', async (_name, body) => {
    fx.answer('POST', `${SDK}/login`, 200, body);

    await expect(build().loginWithPassword(DEVICE, 'u', 'p')).resolves.toEqual(body);
  });

  it('should parse the PASSWORD_WARN policy from data and keep data as given', async () => {
    const data = JSON.stringify({ maxLength: 18, minLength: 8, regEx: '^(?![a-zA-Z]+$).+$' });
    fx.answer('POST', `${SDK}/login`, 200, { status: 'PASSWORD_WARN', state_token: 'st-w', data });

    const result = await build().loginWithPassword(DEVICE, 'u', 'p');

    expect(result).toEqual({
      status: 'PASSWORD_WARN',
      state_token: 'st-w',
      data,
      password_policy: { maxLength: 18, minLength: 8, regEx: '^(?![a-zA-Z]+$).+$' },
    });
  });

  it.each([
    ['not JSON', 'policy: strong'],
    ['a JSON array', '[1,2]'],
  ])('should leave password_policy undefined when data is %s', async (_name, data) => {
    fx.answer('POST', `${SDK}/login`, 200, { status: 'PASSWORD_WARN', state_token: 'st-w', data });

    const result = await build().loginWithPassword(DEVICE, 'u', 'p');

    expect(result).toEqual({ status: 'PASSWORD_WARN', state_token: 'st-w', data });
  });

  it('should drop undocumented fields and read a numeric-string expire', async () => {
    fx.answer('POST', `${SDK}/login`, 200, {
      status: 'SUCCESS',
      session_token: 's',
      expire: '43200',
      debug: 'x',
      id_token: 7,
    });

    await expect(build().loginWithPassword(DEVICE, 'u', 'p')).resolves.toEqual({
      status: 'SUCCESS',
      session_token: 's',
      expire: 43200,
    });
  });

  it.each([
    ['SUCCESS without session_token', { status: 'SUCCESS', expire: 1 }],
    ['MFA_AUTH without state_token', { status: 'MFA_AUTH' }],
    ['PASSWORD_WARN without state_token', { status: 'PASSWORD_WARN', data: '{}' }],
    ['an undocumented status', { status: 'USER_REGISTER', state_token: 'x' }],
    ['no status', { session_token: 's' }],
    ['a numeric status', { status: 1 }],
  ])('should reject a login answer with %s as UPSTREAM_BAD_RESPONSE', async (_name, body) => {
    fx.answer('POST', `${SDK}/login`, 200, body);

    const err = await failure(build().loginWithPassword(DEVICE, 'u', 'p'));

    expect(err.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(err.status).toBe(502);
  });
});

describe('SdkLoginClient unsigned steps', () => {
  it('should get the MFA mobile with X-state-token', async () => {
    fx.answer('GET', `${SDK}/mobile-by-token`, 200, { mobile: '13800000000' });

    await expect(build().getMfaMobile(DEVICE, 'st-mfa')).resolves.toBe('13800000000');
    expect(fx.only().headers).toEqual({ ...SDK_HEADERS, 'X-state-token': 'st-mfa' });
  });

  it('should reset a password by mobile with mobile, verify_code and password', async () => {
    fx.answer('POST', `${SDK}/pwd/update-by-mobile`, 200, '');

    await build().resetPasswordByMobile(DEVICE, '13800000000', '333333', 'N3w-pass');

    const req = fx.only();
    expect(req.headers).toEqual({ ...SDK_HEADERS, ...JSON_TYPE });
    expect(JSON.parse(req.body!)).toEqual({
      mobile: '13800000000',
      verify_code: '333333',
      password: 'N3w-pass',
    });
  });
});
