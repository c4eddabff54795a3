import { failure } from '../../../test/helpers/oneaccess-mock';
import {
  ENDPOINT,
  CALLBACK,
  TOKEN_PATH,
  USERINFO_PATH,
  FORM_HEADERS,
  formOf,
  useOAuthMock,
} from '../../../test/helpers/oauth-fixture';

const fx = useOAuthMock();

describe('OAuthClient URLs', () => {
  it('should build the authorization URL with response_type=code and percent-encoded values', () => {
    const url = fx.build().authorizeUrl({
      redirectUri: CALLBACK,
      state: 'st4te',
      nonce: 'n0nce',
      scope: 'openid profile',
    });

    expect(url).toBe(
      'https://oneaccess.test/api/v1/oauth2/authorize?response_type=code&client_id=client-1' +
        '&redirect_uri=https%3A%2F%2Fportal.example.com%2Fauth%2Foauth%2Fcallback&scope=openid%20profile&state=st4te&nonce=n0nce',
    );
  });

  it('should leave nonce out of the authorization URL when none is given', () => {
    const url = new URL(
      fx.build().authorizeUrl({ redirectUri: CALLBACK, state: 's', scope: 'openid' }),
    );

    expect([...url.searchParams.keys()]).toEqual([
      'response_type',
      'client_id',
      'redirect_uri',
      'scope',
      'state',
    ]);
  });

  it('should build the global logout URL with an encoded redirect_url', () => {
    expect(fx.build().globalLogoutUrl('https://portal.example.com/?bye=1&x=y')).toBe(
      'https://oneaccess.test/api/v1/logout?redirect_url=https%3A%2F%2Fportal.example.com%2F%3Fbye%3D1%26x%3Dy',
    );
  });
});

describe('OAuthClient token endpoint', () => {
  it('should exchange a code with a form carrying the grant, redirect_uri and client credentials', async () => {
    fx.answer('POST', TOKEN_PATH, 200, {
      access_token: 'at-1',
      token_type: 'Bearer',
      expires_in: '7200',
      scope: 'openid',
      refresh_token: 'rt-1',
      id_token: 'eyJ.oidc',
    });

    const tokens = await fx.build().exchangeCode('code-1', CALLBACK);

    expect(tokens).toEqual({
      access_token: 'at-1',
      token_type: 'Bearer',
      expires_in: 7200,
      scope: 'openid',
      refresh_token: 'rt-1',
      id_token: 'eyJ.oidc',
    });
    const req = fx.seen[0];
    expect(req.method).toBe('POST');
    expect(req.path).toBe(TOKEN_PATH);
    expect(req.headers).toEqual(FORM_HEADERS);
    expect(formOf(req)).toEqual([
      ['grant_type', 'authorization_code'],
      ['code', 'code-1'],
      ['redirect_uri', CALLBACK],
      ['client_id', 'client-1'],
      ['client_secret', 's&cr=t+/'],
    ]);
    expect(req.body).toContain('client_secret=s%26cr%3Dt%2B%2F');
  });

  it('should refresh with grant refresh_token and the client credentials', async () => {
    fx.answer('POST', TOKEN_PATH, 200, {
      access_token: 'at-2',
      token_type: 'Bearer',
      expires_in: 7200,
    });

    await expect(fx.build().refresh('rt-1')).resolves.toEqual({
      access_token: 'at-2',
      token_type: 'Bearer',
      expires_in: 7200,
    });

    expect(fx.seen[0].headers).toEqual(FORM_HEADERS);
    expect(formOf(fx.seen[0])).toEqual([
      ['grant_type', 'refresh_token'],
      ['refresh_token', 'rt-1'],
      ['client_id', 'client-1'],
      ['client_secret', 's&cr=t+/'],
    ]);
  });

  it('should map invalid_grant to UPSTREAM_REJECTED with the OAuth error and description', async () => {
    fx.answer('POST', TOKEN_PATH, 400, {
      error: 'invalid_grant',
      error_description: 'Invalid refresh token',
    });

    const err = await failure(fx.build().refresh('rt-old'));

    expect(err).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      upstreamCode: 'invalid_grant',
      upstreamStatus: 400,
      message: 'Invalid refresh token',
    });
  });

  it('should map a 401 invalid_client to UPSTREAM_REJECTED', async () => {
    fx.answer('POST', TOKEN_PATH, 401, {
      error: 'invalid_client',
      error_description: 'Bad client credentials',
    });

    await expect(failure(fx.build().exchangeCode('c', CALLBACK))).resolves.toMatchObject({
      code: 'UPSTREAM_REJECTED',
      upstreamCode: 'invalid_client',
    });
  });

  it('should reject a token answer without access_token as UPSTREAM_BAD_RESPONSE', async () => {
    fx.answer('POST', TOKEN_PATH, 200, { token_type: 'Bearer', expires_in: 7200 });

    await expect(failure(fx.build().exchangeCode('c', CALLBACK))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should map a 503 to UPSTREAM_UNAVAILABLE', async () => {
    fx.answer('POST', TOKEN_PATH, 503, 'down');

    await expect(failure(fx.build().refresh('rt'))).resolves.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
  });

  it('should map a token call slower than timeoutMs to UPSTREAM_TIMEOUT', async () => {
    fx.answer('POST', TOKEN_PATH, 200, { access_token: 'at' }).delay(500);

    await expect(
      failure(fx.build({ ...ENDPOINT, timeoutMs: 50 }).refresh('rt')),
    ).resolves.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
  });
});

describe('OAuthClient userinfo', () => {
  it('should get the user with the access token as Bearer and keep the documented fields', async () => {
    fx.answer('GET', USERINFO_PATH, 200, {
      id: '20201029190841785-CB37-8BD36B',
      name: 'test',
      userName: 'test',
      mobile: '12345678901',
      email: '123@example.com',
      extra: 'x',
    });

    const user = await fx.build().getUserInfo('at-1');

    expect(user).toEqual({
      id: '20201029190841785-CB37-8BD36B',
      name: 'test',
      userName: 'test',
      mobile: '12345678901',
      email: '123@example.com',
    });
    expect(fx.seen[0].method).toBe('GET');
    expect(fx.seen[0].headers).toEqual({
      accept: 'application/json',
      Authorization: 'Bearer at-1',
    });
    expect(fx.seen[0].body).toBeUndefined();
  });

  it('should take sub as the id when id is absent', async () => {
    fx.answer('GET', USERINFO_PATH, 200, { sub: 'u-9', name: 'n' });

    await expect(fx.build().getUserInfo('at')).resolves.toEqual({
      id: 'u-9',
      sub: 'u-9',
      name: 'n',
    });
  });

  it('should reject a userinfo answer without an id as UPSTREAM_BAD_RESPONSE', async () => {
    fx.answer('GET', USERINFO_PATH, 200, { name: 'n' });

    await expect(failure(fx.build().getUserInfo('at'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should map the documented 401 to UPSTREAM_REJECTED with upstreamCode unauthorized', async () => {
    fx.answer('GET', USERINFO_PATH, 401, {
      error: 'unauthorized',
      error_description: 'Full authentication is required to access this resource',
    });

    const err = await failure(fx.build().getUserInfo('expired'));

    expect(err).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      upstreamCode: 'unauthorized',
      upstreamStatus: 401,
      message: 'Full authentication is required to access this resource',
    });
  });

  it.each([
    ['an empty body', ''],
    ['another OAuth error', { error: 'invalid_token', error_description: 'Access token expired' }],
  ])(
    'should map a 401 with %s to UPSTREAM_REJECTED with upstreamCode unauthorized',
    async (_name, body) => {
      fx.answer('GET', USERINFO_PATH, 401, body);

      const err = await failure(fx.build().getUserInfo('expired'));

      expect(err).toMatchObject({
        code: 'UPSTREAM_REJECTED',
        upstreamCode: 'unauthorized',
        upstreamStatus: 401,
      });
    },
  );

  it('should map a 500 from userinfo to UPSTREAM_UNAVAILABLE', async () => {
    fx.answer('GET', USERINFO_PATH, 500, '');

    await expect(failure(fx.build().getUserInfo('at'))).resolves.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
  });
});
