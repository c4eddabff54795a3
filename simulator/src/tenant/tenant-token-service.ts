import { randomUuid } from '../crypto/random';
import { OneAccessError } from '../errors/sim-errors';
import type { IdTokenIssuer } from '../sessions/id-token-issuer';
import { ExpiringStore } from '../state/expiring-store';
import type { IssuedTokens } from '../state/issued-tokens';

/** The body of a successful `POST /api/v2/tenant/token` (§7.1). */
export interface TenantTokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  id_token: string;
}

/**
 * Tenant access tokens. While a token lives, the endpoint hands out the same one with
 * `expires_in` counting down (Huawei's example shows 1719 of 1800); a new token is minted only
 * once it has less than a second left. Old tokens stay valid until they expire ("obtaining a new
 * token does not invalidate the old one").
 */
export class TenantTokenService {
  private readonly tokens = new ExpiringStore<string, { clientId: string }>();
  private readonly current = new Map<string, { access_token: string; id_token: string }>();

  constructor(
    private readonly lifetimeS: () => number,
    private readonly issued: IssuedTokens,
    private readonly idTokens: IdTokenIssuer,
  ) {}

  issue(clientId: string): TenantTokenResponse {
    const cached = this.current.get(clientId);
    if (cached && this.tokens.remainingMs(cached.access_token) >= 1000) {
      return this.response(cached, Math.ceil(this.tokens.remainingMs(cached.access_token) / 1000));
    }
    const lifetimeS = this.lifetimeS();
    const access_token = this.issued.record('tenant_access_token', randomUuid());
    const id_token = this.idTokens.mint('tenant_id_token', {
      sub: clientId,
      aud: clientId,
      lifetimeS,
    });
    this.tokens.set(access_token, { clientId }, lifetimeS * 1000);
    this.current.set(clientId, { access_token, id_token });
    return this.response({ access_token, id_token }, Math.ceil(lifetimeS));
  }

  /**
   * Checks an `Authorization` header of a tenant or SSO call.
   * @throws OneAccessError TOKEN_INVALID (PARAM.0016, a guess) when the Bearer token is missing,
   *   unknown or expired.
   */
  authenticate(authorization: string | undefined): { clientId: string } {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const found = match ? this.tokens.get(match[1]) : undefined;
    if (!found) throw new OneAccessError('TOKEN_INVALID', ['access_token']);
    return found;
  }

  private response(
    token: { access_token: string; id_token: string },
    expiresIn: number,
  ): TenantTokenResponse {
    return {
      access_token: token.access_token,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope: 'all',
      id_token: token.id_token,
    };
  }
}
