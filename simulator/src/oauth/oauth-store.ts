import { randomAlnum, randomUuid } from '../crypto/random';
import type { Lifetimes } from '../config/options';
import type { IdTokenIssuer } from '../sessions/id-token-issuer';
import { ExpiringStore } from '../state/expiring-store';
import type { IssuedTokens } from '../state/issued-tokens';
import type { User } from '../users/user-store';

/** A grant: who approved which client for what. */
export interface OAuthGrant {
  clientId: string;
  userId: string;
  scope: string;
  nonce?: string;
}

interface AuthorizationCode extends OAuthGrant {
  redirectUri: string;
  /** PKCE (RFC 7636), when the authorize request carried one; only S256 is accepted. */
  codeChallenge?: string;
}

/** The token endpoint's success body (§8.2). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

export interface TokenPolicy {
  lifetimes: Lifetimes;
  rotateRefreshToken: boolean;
}

/**
 * OAuth 2.0 / OIDC state: single-use authorization codes, access and refresh tokens, and the
 * browser's OneAccess SSO sessions (the cookie `/api/v1/logout` destroys).
 */
export class OAuthStore {
  private readonly codes = new ExpiringStore<string, AuthorizationCode>();
  private readonly accessTokens = new ExpiringStore<string, OAuthGrant>();
  private readonly refreshTokens = new ExpiringStore<
    string,
    OAuthGrant & { accessToken: string }
  >();
  private readonly browserSessions = new ExpiringStore<string, { userId: string }>();

  constructor(
    private readonly policy: () => TokenPolicy,
    private readonly issued: IssuedTokens,
    private readonly idTokens: IdTokenIssuer,
  ) {}

  startBrowserSession(userId: string): string {
    const id = randomAlnum(40);
    this.browserSessions.set(id, { userId }, this.policy().lifetimes.sessionToken * 1000);
    return id;
  }

  browserSessionUser(id: string | undefined): string | undefined {
    return id ? this.browserSessions.get(id)?.userId : undefined;
  }

  endBrowserSession(id: string | undefined): void {
    if (id) this.browserSessions.delete(id);
  }

  issueCode(code: AuthorizationCode): string {
    const value = this.issued.record('oauth_code', randomAlnum(32));
    this.codes.set(value, code, this.policy().lifetimes.oauthCode * 1000);
    return value;
  }

  /** Takes a code out: codes are single use, and a failed exchange uses one up too. */
  takeCode(value: string): AuthorizationCode | undefined {
    const code = this.codes.get(value);
    this.codes.delete(value);
    return code;
  }

  /**
   * An access token, plus a refresh token (`'new'`, or an existing one handed back unchanged)
   * and an OIDC id_token when asked.
   */
  issueTokens(
    grant: OAuthGrant,
    user: User,
    options: { refreshToken: 'new' | 'none' | { keep: string }; idToken: boolean },
  ): TokenResponse {
    const { lifetimes } = this.policy();
    const access_token = this.issued.record('oauth_access_token', randomUuid());
    this.accessTokens.set(access_token, grant, lifetimes.oauthAccessToken * 1000);
    const response: TokenResponse = {
      access_token,
      token_type: 'Bearer',
      expires_in: Math.ceil(lifetimes.oauthAccessToken),
      scope: grant.scope,
    };
    if (options.refreshToken !== 'none') {
      const kept = typeof options.refreshToken === 'object' ? options.refreshToken.keep : undefined;
      const refresh_token = kept ?? this.issued.record('oauth_refresh_token', randomUuid());
      const ttl = kept ? this.refreshTokens.remainingMs(kept) : lifetimes.oauthRefreshToken * 1000;
      this.refreshTokens.set(refresh_token, { ...grant, accessToken: access_token }, ttl);
      response.refresh_token = refresh_token;
    }
    if (options.idToken) {
      response.id_token = this.idTokens.mint('oauth_id_token', {
        sub: user.id,
        aud: grant.clientId,
        lifetimeS: lifetimes.idToken,
        nonce: grant.nonce,
        name: user.name,
        user_name: user.user_name,
      });
    }
    return response;
  }

  /**
   * Redeems a refresh token for `clientId`: the access token issued with it is revoked, and the
   * refresh token itself too when rotating (otherwise it is handed back unchanged).
   * @returns the grant and the refresh token to hand out, or undefined when invalid.
   */
  redeemRefreshToken(
    value: string,
    clientId: string,
  ): { grant: OAuthGrant; keep?: string } | undefined {
    const found = this.refreshTokens.get(value);
    if (!found || found.clientId !== clientId) return undefined;
    this.accessTokens.delete(found.accessToken);
    const grant: OAuthGrant = {
      clientId: found.clientId,
      userId: found.userId,
      scope: found.scope,
    };
    if (this.policy().rotateRefreshToken) {
      this.refreshTokens.delete(value);
      return { grant };
    }
    return { grant, keep: value };
  }

  accessTokenGrant(value: string): OAuthGrant | undefined {
    return this.accessTokens.get(value);
  }
}
