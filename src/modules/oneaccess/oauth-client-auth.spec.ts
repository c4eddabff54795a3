import {
  ORIGIN,
  ENDPOINT,
  CALLBACK,
  TOKEN_PATH,
  formOf,
  useOAuthMock,
} from '../../../test/helpers/oauth-fixture';

const fx = useOAuthMock();

describe('OAuthClient PKCE and client authentication', () => {
  const BASIC = { ...ENDPOINT, clientAuth: 'client_secret_basic' as const };

  it('should put the S256 code_challenge on the authorization URL and the verifier on the token call', async () => {
    const url = new URL(
      fx.build().authorizeUrl({
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

    fx.answer('POST', TOKEN_PATH, 200, { access_token: 'at' });
    await fx.build().exchangeCode('c', CALLBACK, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    expect(formOf(fx.seen[0])).toContainEqual([
      'code_verifier',
      'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    ]);
  });

  it('should send form-encoded HTTP Basic credentials and none in the form with client_secret_basic', async () => {
    fx.answer('POST', TOKEN_PATH, 200, { access_token: 'at' });
    fx.answer('POST', TOKEN_PATH, 200, { access_token: 'at' });
    await fx.build(BASIC).exchangeCode('c', CALLBACK);
    await fx.build(BASIC).refresh('rt-1');

    // RFC 6749 §2.3.1: `s&cr=t+/` is form-encoded before the Base64 step
    const expected = `Basic ${Buffer.from('client-1:s%26cr%3Dt%2B%2F').toString('base64')}`;
    for (const req of fx.seen) {
      expect(req.headers.Authorization).toBe(expected);
      expect(formOf(req).map(([k]) => k)).not.toEqual(
        expect.arrayContaining(['client_id', 'client_secret']),
      );
    }
    expect(formOf(fx.seen[1])).toEqual([
      ['grant_type', 'refresh_token'],
      ['refresh_token', 'rt-1'],
    ]);
  });

  it('should build the CAS logout URL with an encoded service', () => {
    expect(fx.build().casLogoutUrl('https://portal.example.com/bye?x=1')).toBe(
      'https://oneaccess.test/api/v1/cas/logout?service=https%3A%2F%2Fportal.example.com%2Fbye%3Fx%3D1',
    );
  });
});

describe('OAuthClient OIDC metadata', () => {
  it('should read issuer and jwks_uri from the discovery document', async () => {
    fx.answer('GET', '/api/v1/oauth2/.well-known/openid-configuration', 200, {
      issuer: ORIGIN,
      jwks_uri: `${ORIGIN}/keys`,
      token_endpoint: `${ORIGIN}/api/v1/oauth2/token`,
    });
    await expect(fx.build().getDiscovery()).resolves.toEqual({
      issuer: ORIGIN,
      jwks_uri: `${ORIGIN}/keys`,
    });
  });

  it('should refuse a discovery document without a usable jwks_uri as UPSTREAM_BAD_RESPONSE', async () => {
    fx.answer('GET', '/api/v1/oauth2/.well-known/openid-configuration', 200, {
      issuer: ORIGIN,
      jwks_uri: 'file:///etc/passwd',
    });
    await expect(fx.build().getDiscovery()).rejects.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should fetch a JWKS through the transport and refuse one without a keys list', async () => {
    fx.answer('GET', '/keys?v=2', 200, { keys: [{ kty: 'RSA', kid: 'k1' }] });
    await expect(fx.build().getJwks(`${ORIGIN}/keys?v=2`)).resolves.toEqual({
      keys: [{ kty: 'RSA', kid: 'k1' }],
    });
    fx.answer('GET', '/keys', 200, { keys: 'none' });
    await expect(fx.build().getJwks(`${ORIGIN}/keys`)).rejects.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });
});
