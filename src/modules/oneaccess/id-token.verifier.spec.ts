import { exportJWK, generateKeyPair, type KeyLike, SignJWT } from 'jose';
import { UpstreamError } from '../../common/errors/app-error';
import type { OneAccessConfig } from '../../config/oneaccess.config';
import {
  IdTokenRejectedError,
  IdTokenVerifier,
  KID_REFETCH_COOLDOWN_MS,
} from './id-token.verifier';
import type { OAuthClient } from './oauth.client';
import type { OneAccessEndpoint } from './oneaccess-endpoint';
import type { JsonWebKeySet, OidcDiscovery } from './oneaccess.types';

const ISSUER = 'https://tenant.example.com';
const CLIENT_ID = 'ClientOne0001';
const NONCE = 'n0nce-value-123';
const JWKS_URL = `${ISSUER}/api/v1/oauth2/jwks`;

interface Key {
  kid: string;
  privateKey: KeyLike;
  jwk: Record<string, unknown>;
}

async function newKey(kid: string): Promise<Key> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256' } };
}

/** A hand-written OAuthClient: serves `published` and counts the fetches. */
class FakeOAuth {
  published: Key[] = [];
  discoveryCalls = 0;
  jwksCalls = 0;
  down = false;

  getDiscovery(): Promise<OidcDiscovery> {
    this.discoveryCalls++;
    return Promise.resolve({ issuer: ISSUER, jwks_uri: JWKS_URL });
  }

  getJwks(url: string): Promise<JsonWebKeySet> {
    this.jwksCalls++;
    expect(url).toBe(JWKS_URL);
    if (this.down) return Promise.reject(new UpstreamError('UPSTREAM_UNAVAILABLE', 'oneaccess'));
    return Promise.resolve({ keys: this.published.map((k) => k.jwk) });
  }
}

/** The subject of every token signed here. */
const SUB = 'user-1';

function sign(key: Key, claims: Record<string, unknown> = {}, kid: string | null = key.kid) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ nonce: NONCE, ...claims })
    .setProtectedHeader(kid === null ? { alg: 'RS256' } : { alg: 'RS256', kid })
    .setIssuer((claims.iss as string) ?? ISSUER)
    .setAudience((claims.aud as string) ?? CLIENT_ID)
    .setSubject(SUB)
    .setIssuedAt(now)
    .setExpirationTime((claims.exp as number) ?? now + 600)
    .sign(key.privateKey);
}

describe('IdTokenVerifier', () => {
  let k1: Key;
  let k2: Key;
  let oauth: FakeOAuth;

  const verifier = (cfg: Partial<OneAccessConfig> = {}) =>
    new IdTokenVerifier(
      oauth as unknown as OAuthClient,
      { clientId: CLIENT_ID } as OneAccessEndpoint,
      cfg as OneAccessConfig,
    );

  async function reason(promise: Promise<unknown>): Promise<string> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IdTokenRejectedError);
    return (err as IdTokenRejectedError).reason;
  }

  beforeAll(async () => {
    [k1, k2] = await Promise.all([newKey('k1'), newKey('k2')]);
  });
  beforeEach(() => {
    oauth = new FakeOAuth();
    oauth.published = [k1];
  });

  it('should accept a good token and return its claims, with keys from discovery', async () => {
    const sut = verifier();
    const claims = await sut.verify(await sign(k1), NONCE);
    expect(claims).toMatchObject({ sub: 'user-1', iss: ISSUER, nonce: NONCE });
    await sut.verify(await sign(k1), NONCE);
    expect([oauth.discoveryCalls, oauth.jwksCalls]).toEqual([1, 1]);
  });

  it('should skip discovery when the issuer and the JWKS URL are configured', async () => {
    const sut = verifier({ oauthIssuer: ISSUER, oauthJwksUrl: JWKS_URL });
    await sut.verify(await sign(k1), NONCE);
    expect(oauth.discoveryCalls).toBe(0);
  });

  it('should refuse each bad token with its own reason', async () => {
    const sut = verifier();
    const now = Math.floor(Date.now() / 1000);
    const forged = { ...k2, kid: 'k1' };
    expect(await reason(sut.verify(await sign(forged), NONCE))).toBe('bad_signature');
    expect(await reason(sut.verify(await sign(k1, { iss: 'https://x.example' }), NONCE))).toBe(
      'wrong_issuer',
    );
    expect(await reason(sut.verify(await sign(k1, { aud: 'Other' }), NONCE))).toBe(
      'wrong_audience',
    );
    expect(await reason(sut.verify(await sign(k1, { exp: now - 120 }), NONCE))).toBe('expired');
    expect(await reason(sut.verify(await sign(k1), 'another-nonce'))).toBe('wrong_nonce');
    expect(await reason(sut.verify(await sign(k1, { nonce: undefined }), NONCE))).toBe(
      'wrong_nonce',
    );
    expect(await reason(sut.verify(undefined, NONCE))).toBe('missing');
    expect(await reason(sut.verify('not.a.jwt', NONCE))).toBe('malformed');
  });

  it('should require azp to be us when aud names several clients (OIDC Core 3.1.3.7)', async () => {
    const sut = verifier();
    const both = [CLIENT_ID, 'AnotherClient'];
    // Signed with the published key, as a token OneAccess issued to another client would be.
    expect(await reason(sut.verify(await sign(k1, { aud: both }), NONCE))).toBe(
      'wrong_authorized_party',
    );
    expect(
      await reason(sut.verify(await sign(k1, { aud: both, azp: 'AnotherClient' }), NONCE)),
    ).toBe('wrong_authorized_party');
    expect(
      await reason(sut.verify(await sign(k1, { aud: CLIENT_ID, azp: 'AnotherClient' }), NONCE)),
    ).toBe('wrong_authorized_party');
    await expect(
      sut.verify(await sign(k1, { aud: both, azp: CLIENT_ID }), NONCE),
    ).resolves.toMatchObject({ azp: CLIENT_ID });
    await expect(sut.verify(await sign(k1, { aud: [CLIENT_ID] }), NONCE)).resolves.toBeTruthy();
  });

  it('should allow 60 seconds of clock difference on exp', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(verifier().verify(await sign(k1, { exp: now - 30 }), NONCE)).resolves.toBeTruthy();
  });

  it('should refuse a token signed with a shared secret or none', async () => {
    const sut = verifier();
    const hs = await new SignJWT({ nonce: NONCE })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(CLIENT_ID)
      .setSubject('u')
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('a-shared-secret-of-32-bytes-long!'));
    expect(await reason(sut.verify(hs, NONCE))).toBe('algorithm_not_allowed');
    const [, payload] = (await sign(k1)).split('.');
    const none = `${Buffer.from('{"alg":"none","kid":"k1"}').toString('base64url')}.${payload}.`;
    expect(await reason(sut.verify(none, NONCE))).toBe('algorithm_not_allowed');
  });

  it('should refetch the keys once on an unknown kid, then not again within the cooldown', async () => {
    const sut = verifier();
    await sut.verify(await sign(k1), NONCE);
    oauth.published = [k2];
    await expect(sut.verify(await sign(k2), NONCE)).resolves.toBeTruthy();
    expect(oauth.jwksCalls).toBe(2);
    // a kid nobody publishes: no fetch within the cooldown of the last refetch...
    const stranger = await sign(await newKey('k3'));
    expect(await reason(sut.verify(stranger, NONCE))).toBe('unknown_key');
    expect(oauth.jwksCalls).toBe(2);
    // ...one after it, and none again for the next cooldown
    const later = Date.now() + KID_REFETCH_COOLDOWN_MS + 1000;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      expect(await reason(sut.verify(stranger, NONCE))).toBe('unknown_key');
      expect(await reason(sut.verify(stranger, NONCE))).toBe('unknown_key');
      expect(oauth.jwksCalls).toBe(3);
    } finally {
      clock.mockRestore();
    }
  });

  it('should share one refetch between logins that meet a new kid at once', async () => {
    const sut = verifier();
    await sut.verify(await sign(k1), NONCE);
    oauth.published = [k2];
    const tokens = await Promise.all([sign(k2), sign(k2), sign(k2)]);
    await Promise.all(tokens.map((t) => sut.verify(t, NONCE)));
    expect(oauth.jwksCalls).toBe(2);
  });

  it('should try a new kid again after a refetch that failed, not wait out the cooldown', async () => {
    const sut = verifier();
    await sut.verify(await sign(k1), NONCE);
    oauth.published = [k2];
    oauth.down = true;
    await expect(sut.verify(await sign(k2), NONCE)).rejects.toBeInstanceOf(UpstreamError);
    oauth.down = false;
    await expect(sut.verify(await sign(k2), NONCE)).resolves.toBeTruthy();
    expect(oauth.jwksCalls).toBe(3);
  });

  it("should accept a refreshed id_token only with the login's subject, and without a nonce", async () => {
    const sut = verifier();
    const claims = await sut.verifyRefreshed(await sign(k1, { nonce: undefined }), SUB);
    expect(claims.sub).toBe(SUB);
    expect(await reason(sut.verifyRefreshed(await sign(k1), 'another-user'))).toBe('wrong_subject');
    // every other check still applies
    expect(await reason(sut.verifyRefreshed(await sign(k1, { aud: 'Other' }), SUB))).toBe(
      'wrong_audience',
    );
    const past = Math.floor(Date.now() / 1000) - 120;
    expect(await reason(sut.verifyRefreshed(await sign(k1, { exp: past }), SUB))).toBe('expired');
  });

  it('should not cache a failed key load', async () => {
    const sut = verifier();
    oauth.down = true;
    await expect(sut.verify(await sign(k1), NONCE)).rejects.toBeInstanceOf(UpstreamError);
    oauth.down = false;
    await expect(sut.verify(await sign(k1), NONCE)).resolves.toBeTruthy();
  });
});
