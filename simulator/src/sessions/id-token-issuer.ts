import { generateKeyPair, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { IdTokenFault } from '../config/options';
import { randomAlnum } from '../crypto/random';
import { signRs256 } from '../crypto/jwt';
import type { SimulatorKeys } from '../crypto/rsa-keys';
import type { IssuedKind, IssuedTokens } from '../state/issued-tokens';

/** Far enough past any verifier's clock leeway (a minute is usual). */
const EXPIRED_BY_S = 3600;

let foreignKey: KeyObject | undefined;
/** The `sub` of the `foreign-sub` fault: a user id shaped like the seed's, of nobody seeded. */
const FOREIGN_SUBJECT = '20990101000000000-FFFF-F0REIGN00';

/**
 * Makes the key of the `foreign-key` fault ahead of use, off the event loop: generating RSA-2048
 * inside a token call can take seconds on a busy machine. Called when the fault is switched on.
 */
export async function prepareForeignKey(): Promise<void> {
  if (foreignKey) return;
  const pair = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  foreignKey ??= pair.privateKey;
}

/** A key that is in no JWKS of ours (only fault tests need it). */
function foreignPrivateKey(): KeyObject {
  foreignKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return foreignKey;
}

/**
 * Mints the RS256 id_tokens of the SDK (login results, refresh-id-token, SSO refresh), the tenant
 * token endpoint and OIDC. Huawei does not document the claims (§5.25, §8.4); these are the
 * standard ones, checkable against `GET /api/v1/oauth2/jwks`. The key is read at each mint, so a
 * key rotation (`POST /__sim/oauth/rotate-key`) takes effect at once.
 */
export class IdTokenIssuer {
  constructor(
    private readonly key: () => SimulatorKeys['idToken'],
    private readonly issuer: string,
    private readonly issued: IssuedTokens,
    /** The `oauthIdTokenFault` option: applied to OIDC id_tokens only. */
    private readonly oidcFault: () => IdTokenFault = () => 'none',
  ) {}

  mint(
    kind: Extract<IssuedKind, 'id_token' | 'tenant_id_token' | 'oauth_id_token'>,
    claims: {
      sub: string;
      aud: string;
      lifetimeS: number;
      nonce?: string;
      name?: string;
      user_name?: string;
    },
  ): string {
    const fault = kind === 'oauth_id_token' ? this.oidcFault() : 'none';
    const key = this.key();
    const now = Math.floor(Date.now() / 1000);
    const lifetime = Math.max(1, Math.ceil(claims.lifetimeS));
    const iat = fault === 'expired' ? now - lifetime - EXPIRED_BY_S : now;
    const token = signRs256(
      {
        iss: fault === 'foreign-iss' ? 'https://foreign-issuer.example' : this.issuer,
        // Another user's subject, correctly signed: only a comparison with the login's catches it.
        sub: fault === 'foreign-sub' ? FOREIGN_SUBJECT : claims.sub,
        aud: fault === 'foreign-aud' ? 'ForeignClient00000000000000001' : claims.aud,
        iat,
        exp: iat + lifetime,
        // Without a jti two tokens minted in the same second would be identical.
        jti: randomAlnum(16),
        nonce: fault === 'wrong-nonce' ? randomAlnum(43) : claims.nonce,
        name: claims.name,
        user_name: claims.user_name,
      },
      // A forgery names our kid, so only the signature check can catch it.
      fault === 'foreign-key' ? foreignPrivateKey() : key.privateKey,
      key.kid,
    );
    return this.issued.record(kind, token);
  }
}
