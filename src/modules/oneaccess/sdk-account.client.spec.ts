import { failure, SeenRequest } from '../../../test/helpers/oneaccess-mock';
import {
  decryptSignature,
  DEVICE,
  JSON_TYPE,
  SDK,
  SDK_HEADERS,
  useSdkMock,
} from '../../../test/helpers/sdk-fixture';
import { SdkAccountClient } from './sdk-account.client';

const fx = useSdkMock();
const build = (): SdkAccountClient => fx.build(SdkAccountClient);

describe('SdkAccountClient signed calls', () => {
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
    (c: SdkAccountClient) => Promise<unknown>,
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
      fx.serveSigningMaterial();
      fx.answer(method, path, 200, answerBody);

      await expect(invoke(build())).resolves.toEqual(expected);

      expect(fx.seen).toHaveLength(3);
      // The signer fetches its key and the server time first, with the plain SDK headers.
      expect(
        fx.seen
          .slice(0, 2)
          .map((r) => r.path)
          .sort(),
      ).toEqual([`${SDK}/public-key`, `${SDK}/server-date`]);
      for (const r of fx.seen.slice(0, 2)) expect(r.headers).toEqual(SDK_HEADERS);
      const req = fx.seen[2];
      expect(req.method).toBe(method);
      expect(req.path).toBe(path);
      expectSigned(req, body !== undefined);
      if (body === undefined) expect(req.body).toBeUndefined();
      else expect(JSON.parse(req.body!)).toEqual(body);
    },
  );

  it('should re-read the key and server time and sign once more after PARAM.0030', async () => {
    fx.serveSigningMaterial();
    fx.answer('GET', `${SDK}/profile`, 400, {
      error_code: 'PARAM.0030',
      error_msg: 'Signature invalid or expired.',
    });
    fx.serveSigningMaterial();
    fx.answer('GET', `${SDK}/profile`, 200, profile);

    await expect(build().getProfile(DEVICE, 'sess-tok')).resolves.toEqual(profile);

    const profileCalls = fx.seen.filter((r) => r.path === `${SDK}/profile`);
    expect(profileCalls).toHaveLength(2);
    expect(fx.seen.filter((r) => r.path === `${SDK}/public-key`)).toHaveLength(2);
    for (const r of profileCalls) expectSigned(r, false);
    expect(profileCalls[0].headers['X-signature']).not.toBe(profileCalls[1].headers['X-signature']);
  });

  it('should give up after the one retry when PARAM.0030 repeats', async () => {
    fx.serveSigningMaterial();
    fx.answer('GET', `${SDK}/logout`, 400, {
      error_code: 'PARAM.0030',
      error_msg: 'Signature invalid or expired.',
    });
    fx.serveSigningMaterial();
    fx.answer('GET', `${SDK}/logout`, 400, {
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
    fx.serveSigningMaterial();
    fx.answer('GET', `${SDK}/logout`, 200, '');
    fx.answer('GET', `${SDK}/logout`, 200, '');
    const client = build();

    await client.logout(DEVICE, 'sess-tok');
    await client.logout(DEVICE, 'sess-tok');

    expect(fx.seen.map((r) => r.path).filter((p) => p === `${SDK}/public-key`)).toHaveLength(1);
    expect(fx.seen).toHaveLength(4);
  });

  it('should keep only documented profile fields, never pwd or verify_code', async () => {
    fx.serveSigningMaterial();
    fx.answer('GET', `${SDK}/profile`, 200, {
      user_name: 'u',
      pwd: 'secret',
      verify_code: '1',
      internal: true,
    });

    await expect(build().getProfile(DEVICE, 'sess-tok')).resolves.toEqual({ user_name: 'u' });
  });

  it('should send only documented profile update fields', async () => {
    fx.serveSigningMaterial();
    fx.answer('POST', `${SDK}/profile/update`, 200, '');
    const fields = { name: 'n', mobile: '13900000000', pwd: 'x' } as Parameters<
      SdkAccountClient['updateProfile']
    >[2];

    await build().updateProfile(DEVICE, 'sess-tok', fields);

    expect(JSON.parse(fx.seen[2].body!)).toEqual({ name: 'n' });
  });

  it('should read a missing social list as no accounts', async () => {
    fx.serveSigningMaterial();
    fx.answer('GET', `${SDK}/social`, 200, {});

    await expect(build().listSocialAccounts(DEVICE, 'sess-tok')).resolves.toEqual([]);
  });

  it.each([
    ['not a list', { social: 'x' }],
    ['an entry without id', { social: [{ socialType: 'qq' }] }],
  ])('should reject a social list that is %s as UPSTREAM_BAD_RESPONSE', async (_name, body) => {
    fx.serveSigningMaterial();
    fx.answer('GET', `${SDK}/social`, 200, body);

    await expect(failure(build().listSocialAccounts(DEVICE, 'sess-tok'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should reject a refreshed id_token answer without id_token as UPSTREAM_BAD_RESPONSE', async () => {
    fx.serveSigningMaterial();
    fx.answer('POST', `${SDK}/session-token/refresh-id-token`, 200, { token: 'x' });

    await expect(failure(build().refreshIdToken(DEVICE, 'sess-tok'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });
});
