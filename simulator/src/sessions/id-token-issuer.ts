import { randomAlnum } from '../crypto/random';
import { signRs256 } from '../crypto/jwt';
import type { SimulatorKeys } from '../crypto/rsa-keys';
import type { IssuedKind, IssuedTokens } from '../state/issued-tokens';

/**
 * Mints the RS256 id_tokens of the SDK (login results, refresh-id-token, SSO refresh), the tenant
 * token endpoint and OIDC. Huawei does not document the claims (§5.25, §8.4); these are the
 * standard ones, checkable against `GET /api/v1/oauth2/jwks`.
 */
export class IdTokenIssuer {
  constructor(
    private readonly keys: SimulatorKeys,
    private readonly issuer: string,
    private readonly issued: IssuedTokens,
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
    const iat = Math.floor(Date.now() / 1000);
    const token = signRs256(
      {
        iss: this.issuer,
        sub: claims.sub,
        aud: claims.aud,
        iat,
        exp: iat + Math.max(1, Math.ceil(claims.lifetimeS)),
        // Without a jti two tokens minted in the same second would be identical.
        jti: randomAlnum(16),
        nonce: claims.nonce,
        name: claims.name,
        user_name: claims.user_name,
      },
      this.keys.idToken.privateKey,
      this.keys.idToken.kid,
    );
    return this.issued.record(kind, token);
  }
}
