import { PASSWORD, startTestSimulator, xSignature, type SimClient } from './helpers/sim-test-kit';

describe('WeChat and Alipay login, binding and unbinding', () => {
  let sim: SimClient;
  let publicKey: string;

  beforeAll(async () => {
    sim = await startTestSimulator();
    publicKey = await sim.publicKey();
  });

  afterAll(() => sim.close());

  const signed = (token: string): Record<string, string> => ({
    'X-signature': xSignature(publicKey, token),
  });

  it('should log in a bound WeChat code directly', async () => {
    const res = await sim.sdkPost('/api/v2/sdk/login/wechat', { code: 'wx-code-zhangsan' });
    expect(res.body).toMatchObject({
      status: 'SUCCESS',
      session_token: expect.any(String),
      id_token: expect.any(String),
      expire: 604800,
    });
  });

  it('should log in a bound Alipay code on both the v3 and the v2 path', async () => {
    for (const path of ['/api/v3/sdk/login/alipay', '/api/v2/sdk/login/alipay']) {
      const res = await sim.sdkPost(path, { code: 'ali-code-zhangsan' });
      expect(res.body.status).toBe('SUCCESS');
    }
  });

  it('should answer ACCESS_DENIED for an identity bound to an access-denied user', async () => {
    expect((await sim.sdkPost('/api/v2/sdk/login/wechat', { code: 'wx-code-sunqi' })).body).toEqual(
      { status: 'ACCESS_DENIED' },
    );
  });

  it('should reject an unknown provider code and a missing one', async () => {
    expect((await sim.sdkPost('/api/v2/sdk/login/wechat', { code: 'made-up' })).body).toEqual({
      error_code: 'PARAM.0007',
      error_msg: 'Parameter code is invalid.',
    });
    expect((await sim.sdkPost('/api/v2/sdk/login/wechat', {})).body.error_code).toBe('PARAM.0006');
    // Codes are per provider.
    expect(
      (await sim.sdkPost('/api/v3/sdk/login/alipay', { code: 'wx-code-zhangsan' })).body.error_code,
    ).toBe('PARAM.0007');
  });

  it('should answer SOCIAL_BIND for an unbound code and bind it to the existing user of a mobile', async () => {
    const login = await sim.sdkPost('/api/v2/sdk/login/wechat', { code: 'new-wx-bind-1' });
    expect(login.body).toEqual({ status: 'SOCIAL_BIND', state_token: expect.any(String) });
    const headers = { 'X-state-token': login.body.state_token };

    const registerCode = await sim.smsCode('13800000006', 'REGISTER_SMS');
    const wrongType = await sim.sdkPost(
      '/api/v2/sdk/social/bind',
      { mobile: '13800000006', verify_code: registerCode },
      headers,
    );
    expect(wrongType.body.error_code).toBe('CAPTCHA.0007');

    const code = await sim.smsCode('13800000006', 'BIND_MOBILE_SMS');
    const bound = await sim.sdkPost(
      '/api/v2/sdk/social/bind',
      { mobile: '13800000006', verify_code: code },
      headers,
    );
    expect(bound.body).toMatchObject({ status: 'SUCCESS', session_token: expect.any(String) });
    expect(
      (
        await sim.sdkPost(
          '/api/v2/sdk/social/bind',
          { mobile: '13800000006', verify_code: code },
          headers,
        )
      ).body.error_code,
    ).toBe('PARAM.0014');

    // The same code now logs the user in.
    expect(
      (await sim.sdkPost('/api/v2/sdk/login/wechat', { code: 'new-wx-bind-1' })).body.status,
    ).toBe('SUCCESS');
  });

  it('should refuse social/bind for a mobile without a user', async () => {
    const login = await sim.sdkPost('/api/v3/sdk/login/alipay', { code: 'new-ali-nobody' });
    const code = await sim.smsCode('13500000001', 'BIND_MOBILE_SMS');
    const res = await sim.sdkPost(
      '/api/v2/sdk/social/bind',
      { mobile: '13500000001', verify_code: code },
      { 'X-state-token': login.body.state_token },
    );
    expect(res.body.error_code).toBe('USER.0001');
  });

  it('should register and bind a new mobile with REGISTER_SMS on register-bind', async () => {
    const login = await sim.sdkPost('/api/v3/sdk/login/alipay', { code: 'ali-code-unbound' });
    expect(login.body.status).toBe('SOCIAL_BIND');
    const code = await sim.smsCode('13500000002', 'REGISTER_SMS');
    const res = await sim.sdkPost(
      '/api/v2/sdk/social/register-bind',
      { mobile: '13500000002', verify_code: code },
      { 'X-state-token': login.body.state_token },
    );
    expect(res.body).toMatchObject({ status: 'SUCCESS', session_token: expect.any(String) });

    const social = await sim.sdkGet('/api/v2/sdk/social', signed(res.body.session_token));
    expect(social.body.social).toEqual([
      {
        id: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
        userId: expect.stringMatching(/^\d{17}-[0-9A-F]{4}-[0-9A-F]{9}$/),
        socialType: 'alipay',
        social_uid: '2088000000000099',
        socialNickname: 'Unbound Alipay user',
        socialHeadImage: '',
        socialAccountDetails: expect.any(String),
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/),
        updatedAt: expect.any(String),
      },
    ]);
  });

  it('should accept BIND_MOBILE_SMS on register-bind for an existing user', async () => {
    const login = await sim.sdkPost('/api/v2/sdk/login/wechat', { code: 'new-wx-existing' });
    const code = await sim.smsCode('13800000007', 'BIND_MOBILE_SMS');
    const res = await sim.sdkPost(
      '/api/v2/sdk/social/register-bind',
      { mobile: '13800000007', verify_code: code },
      { 'X-state-token': login.body.state_token },
    );
    expect(res.body.status).toBe('SUCCESS');
    expect((await sim.login('wujiu', PASSWORD)).body.status).toBe('SUCCESS');
  });

  it('should list and unbind social accounts of the signed-in user only', async () => {
    const token = await sim.sessionToken('zhangsan');
    const list = await sim.sdkGet('/api/v2/sdk/social', signed(token));
    const social = list.body.social as { id: string; socialType: string }[];
    expect(social.map((s) => s.socialType).sort()).toEqual(['alipay', 'weixin']);
    const wechat = social.find((s) => s.socialType === 'weixin')!;

    const other = await sim.sessionToken('wujiu');
    const notMine = await sim.sdkPost(
      '/api/v2/sdk/social/unbind-account',
      { id: wechat.id },
      signed(other),
    );
    expect(notMine.body).toEqual({
      error_code: 'PARAM.0007',
      error_msg: 'Parameter id is invalid.',
    });

    const unbound = await sim.sdkPost(
      '/api/v2/sdk/social/unbind-account',
      { id: wechat.id },
      signed(token),
    );
    expect(unbound.status).toBe(200);
    expect(unbound.text).toBe('');
    expect((await sim.sdkGet('/api/v2/sdk/social', signed(token))).body.social).toHaveLength(1);
    expect(
      (await sim.sdkPost('/api/v2/sdk/login/wechat', { code: 'wx-code-zhangsan' })).body.status,
    ).toBe('SOCIAL_BIND');
  });
});
