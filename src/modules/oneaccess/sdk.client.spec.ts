import { Logger } from '@nestjs/common';
import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { DeviceContext } from './device-context';
import { OneAccessEndpoint } from './oneaccess-endpoint';
import { OneAccessTransport } from './oneaccess-transport';
import { failure, OneAccessMock, SeenRequest } from '../../../test/helpers/oneaccess-mock';
import { LoginResult, Registration } from './oneaccess.types';
import { SdkClient } from './sdk.client';
import { XSignatureSigner } from './x-signature.signer';

const ORIGIN = 'https://oneaccess.test';
const ENDPOINT: OneAccessEndpoint = {
  baseUrl: ORIGIN,
  publicUrl: ORIGIN,
  clientId: 'client-1',
  clientSecret: 'secret-1',
  tenantId: 'tenant-9',
  timeoutMs: 2000,
  embedded: false,
};
const DEVICE: DeviceContext = {
  ip: '203.0.113.7',
  agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Test',
  osVersion: 'Windows 10',
  fingerprint: 'fp_0123456789',
  lang: 'zh',
};
/** Every SDK call's headers (docs/oneaccess.md 2.2), as they must leave the gateway. */
const SDK_HEADERS = {
  accept: 'application/json',
  'X-client-id': 'client-1',
  'X-operating-sys-version': 'Windows 10',
  'X-device-fingerprint': 'fp_0123456789',
  'X-device-ip': '203.0.113.7',
  'X-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Test',
  'X-L': 'zh',
  'X-tenant-id': 'tenant-9',
};
const JSON_TYPE = { 'content-type': 'application/json;charset=utf8' };
const SDK = '/api/v2/sdk';

// One key pair for the file: generating RSA-2048 takes a noticeable moment.
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();

function decryptSignature(signature: string): string {
  return privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    Buffer.from(signature, 'base64'),
  ).toString('utf8');
}

let mock: OneAccessMock;
/** The current test's requests, in order (the mock's record). */
let seen: SeenRequest[];
const answer: OneAccessMock['answer'] = (...args) => mock.answer(...args);

function serveSigningMaterial(): void {
  answer('GET', `${SDK}/public-key`, 200, { public_key: PUBLIC_PEM });
  answer('GET', `${SDK}/server-date`, 200, { timestamp: String(Date.now()) });
}

function build(endpoint: OneAccessEndpoint = ENDPOINT): SdkClient {
  const transport = new OneAccessTransport(mock.agent, endpoint);
  return new SdkClient(transport, endpoint, new XSignatureSigner(transport, endpoint));
}

function only(): SeenRequest {
  expect(seen).toHaveLength(1);
  return seen[0];
}

const SUCCESS = {
  status: 'SUCCESS',
  session_token: 'sess-1',
  id_token: 'eyJ.id.tok',
  expire: 604800,
};

// The transport logs every call at debug level; keep the test output to the results.
beforeAll(() => {
  Logger.overrideLogger(false);
});

beforeEach(() => {
  mock = new OneAccessMock(ORIGIN);
  seen = mock.seen;
});

afterEach(async () => {
  await mock.close();
});

describe('SdkClient login-type calls', () => {
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
    (c: SdkClient) => Promise<LoginResult>,
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
      answer(method, path, 200, SUCCESS);

      const result = await invoke(build());

      expect(result).toEqual(SUCCESS);
      const req = only();
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
    answer('POST', `${SDK}/register/mobile-verify-code`, 200, SUCCESS);
    const fields = { mobile: '13800000000', verify_code: '1', is_admin: true } as Registration;

    await build().register(DEVICE, fields);

    expect(JSON.parse(only().body!)).toEqual({ mobile: '13800000000', verify_code: '1' });
  });

  it('should omit X-device-ip and X-tenant-id when there is no client address and no tenant', async () => {
    answer('POST', `${SDK}/login`, 200, SUCCESS);
    const noTenant = { ...ENDPOINT, tenantId: undefined };

    await build(noTenant).loginWithPassword({ ...DEVICE, ip: '' }, 'u', 'p');

    const expected: Record<string, string> = { ...SDK_HEADERS, ...JSON_TYPE };
    delete expected['X-device-ip'];
    delete expected['X-tenant-id'];
    expect(only().headers).toEqual(expected);
  });

  it.each([
    ['MFA_AUTH', { status: 'MFA_AUTH', state_token: 'st-1' }],
    ['SOCIAL_BIND', { status: 'SOCIAL_BIND', state_token: 'st-2' }],
    ['PASSWORD_EXPIRED', { status: 'PASSWORD_EXPIRED', state_token: 'st-3' }],
    ['ACCESS_DENIED', { status: 'ACCESS_DENIED' }],
  ])('should return a %s result with exactly its documented fields', async (_name, body) => {
    answer('POST', `${SDK}/login`, 200, body);

    await expect(build().loginWithPassword(DEVICE, 'u', 'p')).resolves.toEqual(body);
  });

  it('should parse the PASSWORD_WARN policy from data and keep data as given', async () => {
    const data = JSON.stringify({ maxLength: 18, minLength: 8, regEx: '^(?![a-zA-Z]+$).+$' });
    answer('POST', `${SDK}/login`, 200, { status: 'PASSWORD_WARN', state_token: 'st-w', data });

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
    answer('POST', `${SDK}/login`, 200, { status: 'PASSWORD_WARN', state_token: 'st-w', data });

    const result = await build().loginWithPassword(DEVICE, 'u', 'p');

    expect(result).toEqual({ status: 'PASSWORD_WARN', state_token: 'st-w', data });
  });

  it('should drop undocumented fields and read a numeric-string expire', async () => {
    answer('POST', `${SDK}/login`, 200, {
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
    answer('POST', `${SDK}/login`, 200, body);

    const err = await failure(build().loginWithPassword(DEVICE, 'u', 'p'));

    expect(err.code).toBe('UPSTREAM_BAD_RESPONSE');
    expect(err.status).toBe(502);
  });
});

describe('SdkClient captcha, SMS and other unsigned calls', () => {
  const captcha = {
    captchaId: null,
    projectCode: null,
    secretKey: 'yMXhmq',
    originalImageBase64: 'iVBORw0KGgoAAA',
    jigsawImageBase64: 'iVBORw0KGgoBBB',
    point: null,
    wordList: null,
    pointList: null,
    pointJson: null,
    token: 'cap-token-1',
    result: false,
    captchaVerification: null,
  };

  it('should get a captcha with the SDK headers and no body', async () => {
    answer('GET', `${SDK}/captcha`, 200, captcha);

    await expect(build().getCaptcha(DEVICE)).resolves.toEqual(captcha);
    expect(only()).toEqual({
      method: 'GET',
      path: `${SDK}/captcha`,
      headers: SDK_HEADERS,
      body: undefined,
    });
  });

  it.each([
    ['token', { ...captcha, token: undefined }],
    ['the background image', { ...captcha, originalImageBase64: '' }],
    ['the puzzle piece', { ...captcha, jigsawImageBase64: null }],
  ])('should reject a captcha without %s as UPSTREAM_BAD_RESPONSE', async (_name, body) => {
    answer('GET', `${SDK}/captcha`, 200, body);

    await expect(failure(build().getCaptcha(DEVICE))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should verify a captcha with point_json, token and sender and return the captcha_token', async () => {
    const captchaToken = 'cap-token-1---{"x":237.0,"y":5.0}';
    answer('POST', `${SDK}/captcha/verify`, 200, { captcha_token: captchaToken });

    const result = await build().verifyCaptcha(DEVICE, {
      token: 'cap-token-1',
      pointJson: '{"x":237.0,"y":5.0}',
      sender: '13800000000',
    });

    expect(result).toBe(captchaToken);
    const req = only();
    expect(req.headers).toEqual({ ...SDK_HEADERS, ...JSON_TYPE });
    expect(JSON.parse(req.body!)).toEqual({
      point_json: '{"x":237.0,"y":5.0}',
      token: 'cap-token-1',
      sender: '13800000000',
    });
  });

  it('should reject a captcha verification without captcha_token as UPSTREAM_BAD_RESPONSE', async () => {
    answer('POST', `${SDK}/captcha/verify`, 200, {});

    const err = await failure(
      build().verifyCaptcha(DEVICE, { token: 't', pointJson: '{}', sender: '1' }),
    );

    expect(err.code).toBe('UPSTREAM_BAD_RESPONSE');
  });

  it('should send an SMS with mobile, type and captcha_token and accept an empty answer', async () => {
    answer('POST', `${SDK}/sms/send`, 200, '');

    await expect(
      build().sendSms(DEVICE, {
        mobile: '13800000000',
        type: 'OTP_REST_SMS',
        captchaToken: 'ct-1',
      }),
    ).resolves.toBeUndefined();

    const req = only();
    expect(req.headers).toEqual({ ...SDK_HEADERS, ...JSON_TYPE });
    expect(JSON.parse(req.body!)).toEqual({
      mobile: '13800000000',
      type: 'OTP_REST_SMS',
      captcha_token: 'ct-1',
    });
  });

  it('should get the country codes', async () => {
    const body = {
      phoneAreaCodeDefinitions: [
        {
          areaCode: '+86',
          displayMapping: { 'zh-CN': '中国', en: 'China', 'zh-TW': '中國' },
          countryCode: 'CN',
          mobileRegex: '^1\\d{10}$',
        },
      ],
      preferredAreaCode: '+86',
    };
    answer('GET', `${SDK}/country-codes`, 200, body);

    await expect(build().getCountryCodes(DEVICE)).resolves.toEqual(body);
    expect(only().headers).toEqual(SDK_HEADERS);
  });

  it('should reject country codes without a list as UPSTREAM_BAD_RESPONSE', async () => {
    answer('GET', `${SDK}/country-codes`, 200, { preferredAreaCode: '+86' });

    await expect(failure(build().getCountryCodes(DEVICE))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should get the MFA mobile with X-state-token', async () => {
    answer('GET', `${SDK}/mobile-by-token`, 200, { mobile: '13800000000' });

    await expect(build().getMfaMobile(DEVICE, 'st-mfa')).resolves.toBe('13800000000');
    expect(only().headers).toEqual({ ...SDK_HEADERS, 'X-state-token': 'st-mfa' });
  });

  it('should reset a password by mobile with mobile, verify_code and password', async () => {
    answer('POST', `${SDK}/pwd/update-by-mobile`, 200, '');

    await build().resetPasswordByMobile(DEVICE, '13800000000', '333333', 'N3w-pass');

    const req = only();
    expect(req.headers).toEqual({ ...SDK_HEADERS, ...JSON_TYPE });
    expect(JSON.parse(req.body!)).toEqual({
      mobile: '13800000000',
      verify_code: '333333',
      password: 'N3w-pass',
    });
  });

  it('should read the server time from its documented string form', async () => {
    answer('GET', `${SDK}/server-date`, 200, { timestamp: '1628496895102' });

    await expect(build().getServerTime(DEVICE)).resolves.toBe(1628496895102);
  });
});

describe('SdkClient signed calls', () => {
  const SIGNATURE_TEXT = /^session_token=sess-tok&timestamp=(\d{13})&nonce=[0-9a-f]+$/;

  /** Checks one signed request: SDK headers plus X-signature, which decrypts to the documented text. */
  function expectSigned(req: SeenRequest, withBody: boolean): void {
    const { 'X-signature': signature, ...rest } = req.headers;
    expect(rest).toEqual({ ...SDK_HEADERS, ...(withBody ? JSON_TYPE : {}) });
    expect(signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const match = SIGNATURE_TEXT.exec(decryptSignature(signature));
    expect(match).not.toBeNull();
    expect(Math.abs(Number(match![1]) - Date.now())).toBeLessThan(5000);
  }

  const social = [
    {
      id: '001GKgGa15HGZA0aOxIa1bFktp1GKgG4',
      userId: '20210621095935811-5E16-6B3060',
      socialType: 'weixin',
      social_uid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
      socialNickname: 'zs',
      socialHeadImage: 'https://img.example.com/a.png',
      socialAccountDetails: null,
      createdAt: '2024-01-02 03:04:05',
      updatedAt: '2024-01-02 03:04:05',
    },
  ];
  const profile = {
    user_name: 'zhangsan',
    name: 'Zhang San',
    head_img: null,
    email: 'z@example.com',
    mobile: '13800000000',
    attr_gender: 'unknow',
    attr_birthday: '1990-01-01',
    attr_nick_name: 'zs',
    first_name: null,
    middle_name: null,
    last_name: null,
    extension: '{"age":"18"}',
  };

  const cases: [
    string,
    (c: SdkClient) => Promise<unknown>,
    string,
    string,
    unknown,
    unknown,
    unknown,
  ][] = [
    [
      'listSocialAccounts',
      (c) => c.listSocialAccounts(DEVICE, 'sess-tok'),
      'GET',
      `${SDK}/social`,
      undefined,
      { social },
      social,
    ],
    [
      'unbindSocialAccount',
      (c) => c.unbindSocialAccount(DEVICE, 'sess-tok', 'acc-1'),
      'POST',
      `${SDK}/social/unbind-account`,
      { id: 'acc-1' },
      '',
      undefined,
    ],
    [
      'getProfile',
      (c) => c.getProfile(DEVICE, 'sess-tok'),
      'GET',
      `${SDK}/profile`,
      undefined,
      profile,
      profile,
    ],
    [
      'updateProfile',
      (c) => c.updateProfile(DEVICE, 'sess-tok', { name: 'Li Si', attr_gender: 'male' }),
      'POST',
      `${SDK}/profile/update`,
      { name: 'Li Si', attr_gender: 'male' },
      '',
      undefined,
    ],
    [
      'logout',
      (c) => c.logout(DEVICE, 'sess-tok'),
      'GET',
      `${SDK}/logout`,
      undefined,
      '',
      undefined,
    ],
    [
      'refreshIdToken',
      (c) => c.refreshIdToken(DEVICE, 'sess-tok'),
      'POST',
      `${SDK}/session-token/refresh-id-token`,
      undefined,
      { id_token: 'eyJ.new' },
      'eyJ.new',
    ],
  ];

  it.each(cases)(
    'should sign %s with X-signature over the session token',
    async (_name, invoke, method, path, body, answerBody, expected) => {
      serveSigningMaterial();
      answer(method, path, 200, answerBody);

      await expect(invoke(build())).resolves.toEqual(expected);

      expect(seen).toHaveLength(3);
      // The signer fetches its key and the server time first, with the plain SDK headers.
      expect(
        seen
          .slice(0, 2)
          .map((r) => r.path)
          .sort(),
      ).toEqual([`${SDK}/public-key`, `${SDK}/server-date`]);
      for (const r of seen.slice(0, 2)) expect(r.headers).toEqual(SDK_HEADERS);
      const req = seen[2];
      expect(req.method).toBe(method);
      expect(req.path).toBe(path);
      expectSigned(req, body !== undefined);
      if (body === undefined) expect(req.body).toBeUndefined();
      else expect(JSON.parse(req.body!)).toEqual(body);
    },
  );

  it('should re-read the key and server time and sign once more after PARAM.0030', async () => {
    serveSigningMaterial();
    answer('GET', `${SDK}/profile`, 400, {
      error_code: 'PARAM.0030',
      error_msg: 'Signature invalid or expired.',
    });
    serveSigningMaterial();
    answer('GET', `${SDK}/profile`, 200, profile);

    await expect(build().getProfile(DEVICE, 'sess-tok')).resolves.toEqual(profile);

    const profileCalls = seen.filter((r) => r.path === `${SDK}/profile`);
    expect(profileCalls).toHaveLength(2);
    expect(seen.filter((r) => r.path === `${SDK}/public-key`)).toHaveLength(2);
    for (const r of profileCalls) expectSigned(r, false);
    expect(profileCalls[0].headers['X-signature']).not.toBe(profileCalls[1].headers['X-signature']);
  });

  it('should give up after the one retry when PARAM.0030 repeats', async () => {
    serveSigningMaterial();
    answer('GET', `${SDK}/logout`, 400, {
      error_code: 'PARAM.0030',
      error_msg: 'Signature invalid or expired.',
    });
    serveSigningMaterial();
    answer('GET', `${SDK}/logout`, 400, {
      error_code: 'PARAM.0030',
      error_msg: 'Signature invalid or expired.',
    });

    const err = await failure(build().logout(DEVICE, 'sess-tok'));

    expect(err).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      upstreamCode: 'PARAM.0030',
      message: 'Signature invalid or expired.',
    });
  });

  it('should reuse the key and clock for a second signed call', async () => {
    serveSigningMaterial();
    answer('GET', `${SDK}/logout`, 200, '');
    answer('GET', `${SDK}/logout`, 200, '');
    const client = build();

    await client.logout(DEVICE, 'sess-tok');
    await client.logout(DEVICE, 'sess-tok');

    expect(seen.map((r) => r.path).filter((p) => p === `${SDK}/public-key`)).toHaveLength(1);
    expect(seen).toHaveLength(4);
  });

  it('should keep only documented profile fields, never pwd or verify_code', async () => {
    serveSigningMaterial();
    answer('GET', `${SDK}/profile`, 200, {
      user_name: 'u',
      pwd: 'secret',
      verify_code: '1',
      internal: true,
    });

    await expect(build().getProfile(DEVICE, 'sess-tok')).resolves.toEqual({ user_name: 'u' });
  });

  it('should send only documented profile update fields', async () => {
    serveSigningMaterial();
    answer('POST', `${SDK}/profile/update`, 200, '');
    const fields = { name: 'n', mobile: '13900000000', pwd: 'x' } as Parameters<
      SdkClient['updateProfile']
    >[2];

    await build().updateProfile(DEVICE, 'sess-tok', fields);

    expect(JSON.parse(seen[2].body!)).toEqual({ name: 'n' });
  });

  it('should read a missing social list as no accounts', async () => {
    serveSigningMaterial();
    answer('GET', `${SDK}/social`, 200, {});

    await expect(build().listSocialAccounts(DEVICE, 'sess-tok')).resolves.toEqual([]);
  });

  it.each([
    ['not a list', { social: 'x' }],
    ['an entry without id', { social: [{ socialType: 'qq' }] }],
  ])('should reject a social list that is %s as UPSTREAM_BAD_RESPONSE', async (_name, body) => {
    serveSigningMaterial();
    answer('GET', `${SDK}/social`, 200, body);

    await expect(failure(build().listSocialAccounts(DEVICE, 'sess-tok'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should reject a refreshed id_token answer without id_token as UPSTREAM_BAD_RESPONSE', async () => {
    serveSigningMaterial();
    answer('POST', `${SDK}/session-token/refresh-id-token`, 200, { token: 'x' });

    await expect(failure(build().refreshIdToken(DEVICE, 'sess-tok'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });
});

describe('SdkClient error mapping', () => {
  it('should map LOGIN.0002 to INVALID_CREDENTIALS with OneAccess code and message', async () => {
    const msg = 'Invalid account name or password. Remaining attempts: 8.';
    answer('POST', `${SDK}/login`, 400, { error_code: 'LOGIN.0002', error_msg: msg });

    const err = await failure(build().loginWithPassword(DEVICE, 'u', 'bad'));

    expect(err).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      status: 401,
      upstreamCode: 'LOGIN.0002',
      upstreamStatus: 400,
      message: msg,
    });
  });

  it('should map an unlisted OneAccess code to UPSTREAM_REJECTED', async () => {
    answer('POST', `${SDK}/captcha/verify`, 400, {
      error_code: 'PARAM.0004',
      error_msg: 'Coordinates required.',
    });

    const err = await failure(
      build().verifyCaptcha(DEVICE, { token: 't', pointJson: '', sender: '1' }),
    );

    expect(err).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      upstreamCode: 'PARAM.0004',
      message: 'Coordinates required.',
    });
  });

  it('should map a 500 to UPSTREAM_UNAVAILABLE', async () => {
    answer('GET', `${SDK}/captcha`, 500, {
      error_code: 'SDK.COMMON.1008',
      error_msg: 'system busy',
    });

    const err = await failure(build().getCaptcha(DEVICE));

    expect(err).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 500 });
    expect(err.upstreamCode).toBeUndefined();
  });

  it('should map a 200 that is not JSON to UPSTREAM_BAD_RESPONSE', async () => {
    answer('POST', `${SDK}/login`, 200, '<html>gateway</html>');

    await expect(failure(build().loginWithPassword(DEVICE, 'u', 'p'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should map a 400 without error_code to UPSTREAM_BAD_RESPONSE', async () => {
    answer('POST', `${SDK}/login`, 400, 'Bad Request');

    await expect(failure(build().loginWithPassword(DEVICE, 'u', 'p'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
      upstreamStatus: 400,
    });
  });

  it('should map an answer slower than timeoutMs to UPSTREAM_TIMEOUT', async () => {
    answer('POST', `${SDK}/login`, 200, SUCCESS).delay(500);

    const err = await failure(
      build({ ...ENDPOINT, timeoutMs: 50 }).loginWithPassword(DEVICE, 'u', 'p'),
    );

    expect(err).toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504 });
  });

  it('should map a refused connection to UPSTREAM_UNAVAILABLE', async () => {
    mock.agent
      .get(ORIGIN)
      .intercept({ method: 'GET', path: `${SDK}/captcha` })
      .replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));

    await expect(failure(build().getCaptcha(DEVICE))).resolves.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
  });
});
