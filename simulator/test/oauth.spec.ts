import {
  jwtPayload,
  PASSWORD,
  startTestSimulator,
  type HttpResult,
  type SimClient,
} from './helpers/sim-test-kit';

const REDIRECT = 'https://app.example.com/callback';

describe('OAuth 2.0 / OIDC and global logout', () => {
  let sim: SimClient;
  let auto: SimClient;

  beforeAll(async () => {
    [sim, auto] = await Promise.all([
      startTestSimulator(),
      startTestSimulator({ oauthAuthorize: 'auto' }),
    ]);
  });

  afterAll(() => Promise.all([sim.close(), auto.close()]));

  function authorizeUrl(client: SimClient, extra: Record<string, string> = {}): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: client.sim.clientId,
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 'st4te',
      ...extra,
    });
    return `/api/v1/oauth2/authorize?${query.toString()}`;
  }

  function cookieOf(res: HttpResult): string {
    return res.headers.getSetCookie()[0].split(';')[0];
  }

  /** Browser flow through the login page; returns the code and the SSO cookie. */
  async function signInAndAuthorize(
    userName = 'zhangsan',
    extra: Record<string, string> = {},
  ): Promise<{ code: string; cookie: string; location: URL }> {
    const first = await sim.request('GET', authorizeUrl(sim, extra));
    expect(first.status).toBe(302);
    const loginUrl = new URL(first.headers.get('location')!, sim.url);
    expect(loginUrl.pathname).toBe('/login');
    const page = await sim.request('GET', `${loginUrl.pathname}${loginUrl.search}`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('name="password"');

    const posted = await sim.postForm('/login', {
      user_name: userName,
      password: PASSWORD,
      redirect: loginUrl.searchParams.get('redirect')!,
    });
    expect(posted.status).toBe(302);
    const cookie = cookieOf(posted);
    const back = await sim.request('GET', posted.headers.get('location')!, {
      headers: { Cookie: cookie },
    });
    expect(back.status).toBe(302);
    const location = new URL(back.headers.get('location')!);
    return { code: location.searchParams.get('code')!, cookie, location };
  }

  function exchange(client: SimClient, form: Record<string, string>): Promise<HttpResult> {
    return client.postForm('/api/v1/oauth2/token', {
      client_id: client.sim.clientId,
      client_secret: client.sim.clientSecret,
      ...form,
    });
  }

  it('should publish OIDC discovery pointing at the JWKS', async () => {
    const res = await sim.request('GET', '/api/v1/oauth2/.well-known/openid-configuration');
    expect(res.body).toMatchObject({
      issuer: sim.url,
      authorization_endpoint: `${sim.url}/api/v1/oauth2/authorize`,
      token_endpoint: `${sim.url}/api/v1/oauth2/token`,
      userinfo_endpoint: `${sim.url}/api/v1/oauth2/userinfo`,
      jwks_uri: `${sim.url}/api/v1/oauth2/jwks`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = await sim.request('GET', '/api/v1/oauth2/jwks');
    expect(jwks.body.keys[0]).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      kid: expect.any(String),
    });
  });

  it('should send a browser without session to the login page, then redirect with code and state', async () => {
    const { code, location } = await signInAndAuthorize();
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st4te');
    expect(code).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('should show the login error with remaining attempts on a wrong password', async () => {
    const res = await sim.postForm('/login', {
      user_name: 'wujiu',
      password: 'Wrong1234',
      redirect: authorizeUrl(sim),
    });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Remaining attempts: 9.');
    await sim.postForm('/login', { user_name: 'wujiu', password: PASSWORD });
  });

  it('should exchange a code once for tokens, with nonce in the id_token', async () => {
    const { code } = await signInAndAuthorize('zhangsan', { nonce: 'n-0S6_WzA2Mj' });
    const res = await exchange(sim, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 7200,
      scope: 'openid',
      refresh_token: expect.any(String),
      id_token: expect.any(String),
    });
    expect(jwtPayload(res.body.id_token)).toMatchObject({
      iss: sim.url,
      sub: '20210621095935811-5E16-6B3060ABC',
      aud: sim.sim.clientId,
      nonce: 'n-0S6_WzA2Mj',
    });

    const reused = await exchange(sim, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
    });
    expect(reused.status).toBe(400);
    expect(reused.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid authorization code',
    });
  });

  it('should refuse a code with another redirect_uri, bad client credentials and unknown grants', async () => {
    const { code } = await signInAndAuthorize();
    const mismatch = await exchange(sim, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'https://app.example.com/other',
    });
    expect(mismatch.body.error).toBe('invalid_grant');
    const badClient = await sim.postForm('/api/v1/oauth2/token', {
      grant_type: 'authorization_code',
      code: 'x',
      client_id: sim.sim.clientId,
      client_secret: 'nope',
    });
    expect(badClient.status).toBe(401);
    expect(badClient.body).toEqual({
      error: 'invalid_client',
      error_description: 'Bad client credentials',
    });
    const password = await exchange(sim, {
      grant_type: 'password',
      username: 'zhangsan',
      password: PASSWORD,
    });
    expect(password.body).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'Unsupported grant type: password',
    });
  });

  it('should accept client credentials by HTTP Basic', async () => {
    const { code } = await signInAndAuthorize();
    const basic = Buffer.from(`${sim.sim.clientId}:${sim.sim.clientSecret}`).toString('base64');
    const res = await sim.postForm(
      '/api/v1/oauth2/token',
      { grant_type: 'authorization_code', code },
      { Authorization: `Basic ${basic}` },
    );
    expect(res.status).toBe(200);
  });

  it('should rotate refresh tokens and revoke the access token they replace', async () => {
    const { code } = await signInAndAuthorize();
    const first = (await exchange(sim, { grant_type: 'authorization_code', code })).body;
    const refreshed = await exchange(sim, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
    expect(refreshed.body.id_token).toEqual(expect.any(String));

    const old = await exchange(sim, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    expect(old.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid refresh token',
    });
    const oldAccess = await sim.request('GET', '/api/v1/oauth2/userinfo', {
      headers: { Authorization: `Bearer ${first.access_token}` },
    });
    expect(oldAccess.status).toBe(401);
    const newAccess = await sim.request('GET', '/api/v1/oauth2/userinfo', {
      headers: { Authorization: `Bearer ${refreshed.body.access_token}` },
    });
    expect(newAccess.status).toBe(200);
  });

  it('should keep the refresh token when rotation is off, and issue none when refresh tokens are off', async () => {
    await sim.control('PATCH', '/config', { oauthRotateRefreshToken: false });
    const first = (
      await exchange(sim, {
        grant_type: 'authorization_code',
        code: (await signInAndAuthorize()).code,
      })
    ).body;
    const refreshed = await exchange(sim, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    expect(refreshed.body.refresh_token).toBe(first.refresh_token);
    expect(
      (await exchange(sim, { grant_type: 'refresh_token', refresh_token: first.refresh_token }))
        .status,
    ).toBe(200);

    await sim.control('PATCH', '/config', {
      oauthRotateRefreshToken: true,
      oauthRefreshTokens: false,
    });
    const none = (
      await exchange(sim, {
        grant_type: 'authorization_code',
        code: (await signInAndAuthorize()).code,
      })
    ).body;
    expect(none.refresh_token).toBeUndefined();
    await sim.control('PATCH', '/config', { oauthRefreshTokens: true });
  });

  it('should answer userinfo in camelCase, and 401 with the documented body without a valid token', async () => {
    const tokens = (
      await exchange(sim, {
        grant_type: 'authorization_code',
        code: (await signInAndAuthorize()).code,
      })
    ).body;
    const res = await sim.request('GET', '/api/v1/oauth2/userinfo', {
      headers: { Authorization: `Bearer ${tokens.access_token}`, Accept: 'application/json' },
    });
    expect(res.body).toEqual({
      id: '20210621095935811-5E16-6B3060ABC',
      userName: 'zhangsan',
      name: '张三',
      email: 'zhangsan@example.com',
      mobile: '13800000001',
    });
    const unauthorized = {
      error: 'unauthorized',
      error_description: 'Full authentication is required to access this resource',
    };
    const none = await sim.request('GET', '/api/v1/oauth2/userinfo');
    expect(none.status).toBe(401);
    expect(none.body).toEqual(unauthorized);
    expect(
      (
        await sim.request('GET', '/api/v1/oauth2/userinfo', {
          headers: { Authorization: 'Bearer made-up' },
        })
      ).body,
    ).toEqual(unauthorized);
  });

  it('should approve at once as the auto user in auto mode', async () => {
    const res = await auto.request('GET', authorizeUrl(auto, { scope: 'get_user_info' }));
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('st4te');
    const tokens = await exchange(auto, {
      grant_type: 'authorization_code',
      code: location.searchParams.get('code')!,
    });
    expect(tokens.body.scope).toBe('get_user_info');
    expect(tokens.body.id_token).toBeUndefined();
    const info = await auto.request('GET', '/api/v1/oauth2/userinfo', {
      headers: { Authorization: `Bearer ${tokens.body.access_token}` },
    });
    expect(info.body.userName).toBe('zhangsan');
  });

  it('should answer the implicit flow in the fragment', async () => {
    const res = await auto.request(
      'GET',
      authorizeUrl(auto, { response_type: 'id_token token', nonce: 'abc' }),
    );
    const fragment = new URLSearchParams(new URL(res.headers.get('location')!).hash.slice(1));
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.get('access_token')).toEqual(expect.any(String));
    expect(jwtPayload(fragment.get('id_token')!).nonce).toBe('abc');
    expect(fragment.get('state')).toBe('st4te');
  });

  it('should reject an unknown client, a bad redirect_uri and an unknown response_type', async () => {
    const unknown = await auto.request(
      'GET',
      authorizeUrl(auto, { client_id: 'cU0L3GsEq1vuOJ5iQrRSu5AyPnKL8abc' }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('invalid_client');
    const notHttp = await auto.request(
      'GET',
      authorizeUrl(auto, { redirect_uri: 'javascript:alert(1)' }),
    );
    expect(notHttp.body.error).toBe('invalid_request');
    const badType = await auto.request('GET', authorizeUrl(auto, { response_type: 'token' }));
    expect(badType.status).toBe(302);
    expect(new URL(badType.headers.get('location')!).searchParams.get('error')).toBe(
      'unsupported_response_type',
    );
  });

  it('should accept only a registered redirect_uri, compared exactly, when some are configured', async () => {
    const registered = await startTestSimulator({
      oauthAuthorize: 'auto',
      oauthRedirectUris: ['https://app.example.com/callback'],
    });
    try {
      expect(
        (
          await registered.request(
            'GET',
            authorizeUrl(registered, { redirect_uri: 'https://app.example.com/callback' }),
          )
        ).status,
      ).toBe(302);
      for (const uri of [
        'https://app.example.com/other/path',
        'https://app.example.com/callback/x',
        'https://app.example.com/callback?x=1',
        'https://evil.example.net/callback',
      ]) {
        const refused = await registered.request(
          'GET',
          authorizeUrl(registered, { redirect_uri: uri }),
        );
        expect(refused.status).toBe(400);
        expect(refused.body.error).toBe('invalid_request');
      }
    } finally {
      await registered.close();
    }
  });

  it('should end the browser SSO session on global logout and redirect', async () => {
    const { cookie } = await signInAndAuthorize();
    const withSession = await sim.request('GET', authorizeUrl(sim), {
      headers: { Cookie: cookie },
    });
    expect(new URL(withSession.headers.get('location')!).searchParams.get('code')).toEqual(
      expect.any(String),
    );

    const logout = await sim.request(
      'GET',
      `/api/v1/logout?redirect_url=${encodeURIComponent('https://app.example.com/bye')}`,
      { headers: { Cookie: cookie } },
    );
    expect(logout.status).toBe(302);
    expect(logout.headers.get('location')).toBe('https://app.example.com/bye');
    expect(logout.headers.getSetCookie()[0]).toMatch(/Max-Age=0/);

    const after = await sim.request('GET', authorizeUrl(sim), { headers: { Cookie: cookie } });
    expect(new URL(after.headers.get('location')!, sim.url).pathname).toBe('/login');
    expect((await sim.request('GET', '/api/v1/logout')).headers.get('location')).toBe('/login');
  });

  it('should refuse the login page to an access-denied user', async () => {
    const res = await sim.postForm('/login', {
      user_name: 'sunqi',
      password: PASSWORD,
      redirect: authorizeUrl(sim),
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});
