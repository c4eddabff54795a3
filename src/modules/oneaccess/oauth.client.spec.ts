import { Logger } from '@nestjs/common';
import { OAuthClient } from './oauth.client';
import { OneAccessEndpoint } from './oneaccess-endpoint';
import { OneAccessTransport } from './oneaccess-transport';
import { failure, OneAccessMock, SeenRequest } from '../../../test/helpers/oneaccess-mock';

const ORIGIN = 'https://oneaccess.test';
const ENDPOINT: OneAccessEndpoint = {
  baseUrl: ORIGIN,
  publicUrl: ORIGIN,
  clientId: 'client-1',
  clientSecret: 's&cr=t+/',
  tenantId: 'tenant-9',
  timeoutMs: 2000,
  embedded: false,
};
const CALLBACK = 'https://portal.example.com/auth/oauth/callback';
const TOKEN_PATH = '/api/v1/oauth2/token';
const USERINFO_PATH = '/api/v1/oauth2/userinfo';
const FORM_HEADERS = {
  accept: 'application/json',
  'content-type': 'application/x-www-form-urlencoded',
};

let mock: OneAccessMock;
/** The current test's requests, in order (the mock's record). */
let seen: SeenRequest[];
const answer: OneAccessMock['answer'] = (...args) => mock.answer(...args);

function build(endpoint: OneAccessEndpoint = ENDPOINT): OAuthClient {
  return new OAuthClient(new OneAccessTransport(mock.agent, endpoint), endpoint);
}

/** The form fields in the order sent; duplicates would show up as extra entries. */
function formOf(req: SeenRequest): [string, string][] {
  return [...new URLSearchParams(req.body).entries()];
}

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

describe('OAuthClient URLs', () => {
  it('should build the authorization URL with response_type=code and percent-encoded values', () => {
    const url = build().authorizeUrl({
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
      build().authorizeUrl({ redirectUri: CALLBACK, state: 's', scope: 'openid' }),
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
    expect(build().globalLogoutUrl('https://portal.example.com/?bye=1&x=y')).toBe(
      'https://oneaccess.test/api/v1/logout?redirect_url=https%3A%2F%2Fportal.example.com%2F%3Fbye%3D1%26x%3Dy',
    );
  });
});

describe('OAuthClient token endpoint', () => {
  it('should exchange a code with a form carrying the grant, redirect_uri and client credentials', async () => {
    answer('POST', TOKEN_PATH, 200, {
      access_token: 'at-1',
      token_type: 'Bearer',
      expires_in: '7200',
      scope: 'openid',
      refresh_token: 'rt-1',
      id_token: 'eyJ.oidc',
    });

    const tokens = await build().exchangeCode('code-1', CALLBACK);

    expect(tokens).toEqual({
      access_token: 'at-1',
      token_type: 'Bearer',
      expires_in: 7200,
      scope: 'openid',
      refresh_token: 'rt-1',
      id_token: 'eyJ.oidc',
    });
    const req = seen[0];
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
    answer('POST', TOKEN_PATH, 200, {
      access_token: 'at-2',
      token_type: 'Bearer',
      expires_in: 7200,
    });

    await expect(build().refresh('rt-1')).resolves.toEqual({
      access_token: 'at-2',
      token_type: 'Bearer',
      expires_in: 7200,
    });

    expect(seen[0].headers).toEqual(FORM_HEADERS);
    expect(formOf(seen[0])).toEqual([
      ['grant_type', 'refresh_token'],
      ['refresh_token', 'rt-1'],
      ['client_id', 'client-1'],
      ['client_secret', 's&cr=t+/'],
    ]);
  });

  it('should map invalid_grant to UPSTREAM_REJECTED with the OAuth error and description', async () => {
    answer('POST', TOKEN_PATH, 400, {
      error: 'invalid_grant',
      error_description: 'Invalid refresh token',
    });

    const err = await failure(build().refresh('rt-old'));

    expect(err).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      upstreamCode: 'invalid_grant',
      upstreamStatus: 400,
      message: 'Invalid refresh token',
    });
  });

  it('should map a 401 invalid_client to UPSTREAM_REJECTED', async () => {
    answer('POST', TOKEN_PATH, 401, {
      error: 'invalid_client',
      error_description: 'Bad client credentials',
    });

    await expect(failure(build().exchangeCode('c', CALLBACK))).resolves.toMatchObject({
      code: 'UPSTREAM_REJECTED',
      upstreamCode: 'invalid_client',
    });
  });

  it('should reject a token answer without access_token as UPSTREAM_BAD_RESPONSE', async () => {
    answer('POST', TOKEN_PATH, 200, { token_type: 'Bearer', expires_in: 7200 });

    await expect(failure(build().exchangeCode('c', CALLBACK))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should map a 503 to UPSTREAM_UNAVAILABLE', async () => {
    answer('POST', TOKEN_PATH, 503, 'down');

    await expect(failure(build().refresh('rt'))).resolves.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
  });

  it('should map a token call slower than timeoutMs to UPSTREAM_TIMEOUT', async () => {
    answer('POST', TOKEN_PATH, 200, { access_token: 'at' }).delay(500);

    await expect(
      failure(build({ ...ENDPOINT, timeoutMs: 50 }).refresh('rt')),
    ).resolves.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
  });
});

describe('OAuthClient userinfo', () => {
  it('should get the user with the access token as Bearer and keep the documented fields', async () => {
    answer('GET', USERINFO_PATH, 200, {
      id: '20201029190841785-CB37-8BD36B',
      name: 'test',
      userName: 'test',
      mobile: '12345678901',
      email: '123@example.com',
      extra: 'x',
    });

    const user = await build().getUserInfo('at-1');

    expect(user).toEqual({
      id: '20201029190841785-CB37-8BD36B',
      name: 'test',
      userName: 'test',
      mobile: '12345678901',
      email: '123@example.com',
    });
    expect(seen[0].method).toBe('GET');
    expect(seen[0].headers).toEqual({ accept: 'application/json', Authorization: 'Bearer at-1' });
    expect(seen[0].body).toBeUndefined();
  });

  it('should take sub as the id when id is absent', async () => {
    answer('GET', USERINFO_PATH, 200, { sub: 'u-9', name: 'n' });

    await expect(build().getUserInfo('at')).resolves.toEqual({ id: 'u-9', name: 'n' });
  });

  it('should reject a userinfo answer without an id as UPSTREAM_BAD_RESPONSE', async () => {
    answer('GET', USERINFO_PATH, 200, { name: 'n' });

    await expect(failure(build().getUserInfo('at'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should map the documented 401 to UPSTREAM_REJECTED with upstreamCode unauthorized', async () => {
    answer('GET', USERINFO_PATH, 401, {
      error: 'unauthorized',
      error_description: 'Full authentication is required to access this resource',
    });

    const err = await failure(build().getUserInfo('expired'));

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
      answer('GET', USERINFO_PATH, 401, body);

      const err = await failure(build().getUserInfo('expired'));

      expect(err).toMatchObject({
        code: 'UPSTREAM_REJECTED',
        upstreamCode: 'unauthorized',
        upstreamStatus: 401,
      });
    },
  );

  it('should map a 500 from userinfo to UPSTREAM_UNAVAILABLE', async () => {
    answer('GET', USERINFO_PATH, 500, '');

    await expect(failure(build().getUserInfo('at'))).resolves.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
    });
  });
});

describe('OAuthClient PKCE and client authentication', () => {
  const BASIC = { ...ENDPOINT, clientAuth: 'client_secret_basic' as const };

  it('should put the S256 code_challenge on the authorization URL and the verifier on the token call', async () => {
    const url = new URL(
      build().authorizeUrl({
        redirectUri: CALLBACK,
        state: 's',
        scope: 'openid',
        codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      }),
    );
    expect(url.searchParams.get('code_challenge')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');

    answer('POST', TOKEN_PATH, 200, { access_token: 'at' });
    await build().exchangeCode('c', CALLBACK, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    expect(formOf(seen[0])).toContainEqual([
      'code_verifier',
      'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    ]);
  });

  it('should send form-encoded HTTP Basic credentials and none in the form with client_secret_basic', async () => {
    answer('POST', TOKEN_PATH, 200, { access_token: 'at' });
    answer('POST', TOKEN_PATH, 200, { access_token: 'at' });
    await build(BASIC).exchangeCode('c', CALLBACK);
    await build(BASIC).refresh('rt-1');

    // RFC 6749 §2.3.1: `s&cr=t+/` is form-encoded before the Base64 step
    const expected = `Basic ${Buffer.from('client-1:s%26cr%3Dt%2B%2F').toString('base64')}`;
    for (const req of seen) {
      expect(req.headers.Authorization).toBe(expected);
      expect(formOf(req).map(([k]) => k)).not.toEqual(
        expect.arrayContaining(['client_id', 'client_secret']),
      );
    }
    expect(formOf(seen[1])).toEqual([
      ['grant_type', 'refresh_token'],
      ['refresh_token', 'rt-1'],
    ]);
  });

  it('should build the CAS logout URL with an encoded service', () => {
    expect(build().casLogoutUrl('https://portal.example.com/bye?x=1')).toBe(
      'https://oneaccess.test/api/v1/cas/logout?service=https%3A%2F%2Fportal.example.com%2Fbye%3Fx%3D1',
    );
  });
});

describe('OAuthClient OIDC metadata', () => {
  it('should read issuer and jwks_uri from the discovery document', async () => {
    answer('GET', '/api/v1/oauth2/.well-known/openid-configuration', 200, {
      issuer: ORIGIN,
      jwks_uri: `${ORIGIN}/keys`,
      token_endpoint: `${ORIGIN}/api/v1/oauth2/token`,
    });
    await expect(build().getDiscovery()).resolves.toEqual({
      issuer: ORIGIN,
      jwks_uri: `${ORIGIN}/keys`,
    });
  });

  it('should refuse a discovery document without a usable jwks_uri as UPSTREAM_BAD_RESPONSE', async () => {
    answer('GET', '/api/v1/oauth2/.well-known/openid-configuration', 200, {
      issuer: ORIGIN,
      jwks_uri: 'file:///etc/passwd',
    });
    await expect(build().getDiscovery()).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE' });
  });

  it('should fetch a JWKS through the transport and refuse one without a keys list', async () => {
    answer('GET', '/keys?v=2', 200, { keys: [{ kty: 'RSA', kid: 'k1' }] });
    await expect(build().getJwks(`${ORIGIN}/keys?v=2`)).resolves.toEqual({
      keys: [{ kty: 'RSA', kid: 'k1' }],
    });
    answer('GET', '/keys', 200, { keys: 'none' });
    await expect(build().getJwks(`${ORIGIN}/keys`)).rejects.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });
});
