import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  JSONWebKeySet,
  JWK,
  JWTPayload,
  jwtVerify,
} from 'jose';
import { oneAccessConfig } from '../../config/oneaccess.config';
import { OAuthClient } from './oauth.client';
import type { JsonWebKeySet } from './oneaccess.types';
import { ONEACCESS_ENDPOINT, OneAccessEndpoint } from './oneaccess-endpoint';

/** Clock difference tolerated on `exp`, `iat` and `nbf` (contract section 4). */
const CLOCK_LEEWAY_S = 60;
/**
 * Least time between two refetches an unknown `kid` triggers. A rotation is picked up on the
 * first login after it; a run of tokens naming keys that do not exist costs one fetch at most
 * per period (the token arrives from OneAccess, not the browser, but the bound is cheap).
 */
export const KID_REFETCH_COOLDOWN_MS = 30_000;
/** Signature algorithms accepted: asymmetric only, so no shared secret or `none` can sign. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384'];

/** Why an id_token was refused: a short reason for the audit line, never the token. */
export type IdTokenRejection =
  | 'missing'
  | 'malformed'
  | 'unknown_key'
  | 'bad_signature'
  | 'algorithm_not_allowed'
  | 'expired'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'wrong_authorized_party'
  | 'wrong_nonce'
  | 'wrong_subject'
  | 'invalid_claims';

/** What a token must say beyond the checks every id_token passes: a reason when it does not. */
type ClaimCheck = (payload: JWTPayload) => IdTokenRejection | undefined;

/** An id_token that failed a check; `reason` is safe to log. */
export class IdTokenRejectedError extends Error {
  constructor(readonly reason: IdTokenRejection) {
    super(`id_token rejected: ${reason}`);
    this.name = 'IdTokenRejectedError';
  }
}

interface KeySet {
  issuer: string;
  jwksUrl: string;
  getKey: ReturnType<typeof createLocalJWKSet>;
}

/**
 * Checks the OIDC id_token of the redirect login (contract section 4, "verification"): signature
 * against OneAccess's JWKS, `iss`, `aud`, `azp`, `exp` (60 s leeway) and `nonce`; and the one a
 * refresh grant returns, whose `sub` must be the login's. Issuer and key URL come
 * from OAUTH_ISSUER / OAUTH_JWKS_URL, else from the discovery document; the keys are cached in
 * memory and refetched once when a token names a `kid` they lack (key rotation).
 */
@Injectable()
export class IdTokenVerifier {
  // In memory per process: the keys are public, and each instance refetching on its own is fine.
  private keySet?: Promise<KeySet>;
  private lastKidRefetchAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly oauth: OAuthClient,
    @Inject(ONEACCESS_ENDPOINT) private readonly endpoint: OneAccessEndpoint,
    @Inject(oneAccessConfig.KEY) private readonly cfg: ConfigType<typeof oneAccessConfig>,
  ) {}

  /**
   * @returns the verified claims.
   * @throws IdTokenRejectedError when the token fails a check; UpstreamError (UPSTREAM_TIMEOUT,
   *   UPSTREAM_UNAVAILABLE, UPSTREAM_BAD_RESPONSE) when discovery or the JWKS cannot be fetched.
   */
  verify(idToken: string | undefined, nonce: string): Promise<JWTPayload> {
    return this.verifyWith(idToken, (payload) =>
      payload.nonce === nonce ? undefined : 'wrong_nonce',
    );
  }

  /**
   * Checks an id_token from a refresh grant (OIDC Core 12.2) as {@link verify} does, except the
   * nonce (that grant has none to bind), and requires the `sub` of the id_token the login
   * verified: a refresh must never turn the session into someone else's.
   * @throws as {@link verify}; IdTokenRejectedError `wrong_subject` for another subject.
   */
  verifyRefreshed(idToken: string, sub: string): Promise<JWTPayload> {
    return this.verifyWith(idToken, (payload) =>
      payload.sub === sub ? undefined : 'wrong_subject',
    );
  }

  private async verifyWith(idToken: string | undefined, claims: ClaimCheck): Promise<JWTPayload> {
    if (!idToken) throw new IdTokenRejectedError('missing');
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(idToken).kid;
    } catch {
      throw new IdTokenRejectedError('malformed');
    }
    const used = this.keys();
    const keys = await used;
    try {
      return await this.check(idToken, claims, keys);
    } catch (err) {
      if (!(err instanceof IdTokenRejectedError) || err.reason !== 'unknown_key') throw err;
    }
    // From here to refetchKeys() nothing awaits, so logins meeting the same new kid at once
    // share one fetch: the first replaces the key set, the others see it replaced.
    if (this.keySet && this.keySet !== used) return this.check(idToken, claims, await this.keySet);
    if (kid === undefined || Date.now() - this.lastKidRefetchAt < KID_REFETCH_COOLDOWN_MS)
      throw new IdTokenRejectedError('unknown_key');
    return this.check(idToken, claims, await this.refetchKeys(keys));
  }

  /** @throws IdTokenRejectedError */
  private async check(idToken: string, claims: ClaimCheck, keys: KeySet): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, keys.getKey, {
        issuer: keys.issuer,
        audience: this.endpoint.clientId,
        clockTolerance: CLOCK_LEEWAY_S,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      throw new IdTokenRejectedError(rejectionOf(err));
    }
    if (!authorizedPartyOk(payload, this.endpoint.clientId))
      throw new IdTokenRejectedError('wrong_authorized_party');
    const rejection = claims(payload);
    if (rejection) throw new IdTokenRejectedError(rejection);
    return payload;
  }

  /** Replaces the cached keys with a fresh copy of the same JWKS; the issuer stays. */
  private refetchKeys(stale: KeySet): Promise<KeySet> {
    this.lastKidRefetchAt = Date.now();
    const next = this.oauth.getJwks(stale.jwksUrl).then((jwks) => ({
      ...stale,
      getKey: localKeys(jwks),
    }));
    this.keySet = next;
    next.catch(() => {
      // Keep the last good keys when the refetch fails. It proved nothing about the kid, so the
      // next token naming it may try again: a refresh whose keys were down must not be refused
      // as `unknown_key` for the rest of the cooldown once they are back.
      if (this.keySet === next) this.keySet = Promise.resolve(stale);
      this.lastKidRefetchAt = Number.NEGATIVE_INFINITY;
    });
    return next;
  }

  /** The cached key set, loaded on first use; a failed load is not cached. */
  private keys(): Promise<KeySet> {
    if (!this.keySet) {
      const loading = this.load();
      this.keySet = loading;
      loading.catch(() => {
        if (this.keySet === loading) this.keySet = undefined;
      });
    }
    return this.keySet;
  }

  private async load(): Promise<KeySet> {
    const configured = { issuer: this.cfg.oauthIssuer, jwksUrl: this.cfg.oauthJwksUrl };
    const discovered =
      configured.issuer && configured.jwksUrl ? undefined : await this.oauth.getDiscovery();
    const issuer = configured.issuer ?? discovered!.issuer;
    const jwksUrl = configured.jwksUrl ?? discovered!.jwks_uri;
    const jwks = await this.oauth.getJwks(jwksUrl);
    return { issuer, jwksUrl, getKey: localKeys(jwks) };
  }
}

/**
 * OIDC Core 3.1.3.7 (items 4 and 5): a token for several audiences must name us as the party it
 * was issued to, or a token issued to another client that lists us among its audiences would sign
 * its holder in here; an `azp` that is present must be us whatever `aud` holds.
 */
function authorizedPartyOk(payload: JWTPayload, clientId: string): boolean {
  const several = Array.isArray(payload.aud) && payload.aud.length > 1;
  if (payload.azp === undefined) return !several;
  return payload.azp === clientId;
}

/** Keys without a `kty` are dropped: jose could not use them and would refuse the whole set. */
function localKeys(jwks: JsonWebKeySet): ReturnType<typeof createLocalJWKSet> {
  const keys = jwks.keys.filter((k) => typeof k.kty === 'string') as unknown as JWK[];
  return createLocalJWKSet({ keys } satisfies JSONWebKeySet);
}

/** jose's error codes, read by `code` (not `instanceof`), as our reasons. */
function rejectionOf(err: unknown): IdTokenRejection {
  const e = err as { code?: string; claim?: string };
  switch (e.code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'bad_signature';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'algorithm_not_allowed';
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.claim === 'iss') return 'wrong_issuer';
      if (e.claim === 'aud') return 'wrong_audience';
      return 'invalid_claims';
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'unknown_key';
    default:
      return 'malformed';
  }
}
