import { Inject, Injectable } from '@nestjs/common';
import { UpstreamError } from '../../common/errors/app-error';
import { ONEACCESS_ENDPOINT, OneAccessEndpoint } from './oneaccess-endpoint';
import { OneAccessTransport } from './oneaccess-transport';
import { AuthorizeRequest, OAuthTokens, OAuthUserInfo } from './oneaccess.types';
import { badResponse, isString, toSeconds } from './oneaccess-answer';

/**
 * OneAccess's OAuth 2.0 / OIDC endpoints (`/api/v1/oauth2/*`, oneaccess-api.md section 8) for the
 * redirect login, plus the browser URL of the global logout. Errors follow the OAuth body shape
 * `{error, error_description}`; `error` becomes `upstreamCode` (e.g. `invalid_grant`).
 *
 * The client credentials travel in the form body, the only client authentication Huawei documents
 * (HTTP Basic is Bamboo's, section 8.2).
 */
@Injectable()
export class OAuthClient {
  constructor(
    private readonly transport: OneAccessTransport,
    @Inject(ONEACCESS_ENDPOINT) private readonly endpoint: OneAccessEndpoint,
  ) {}

  /**
   * Where to send the browser to log in (`GET /api/v1/oauth2/authorize`, authorization-code flow).
   * `nonce` is not documented by OneAccess and is added only when given.
   */
  authorizeUrl(req: AuthorizeRequest): string {
    const query: [string, string][] = [
      ['response_type', 'code'],
      ['client_id', this.endpoint.clientId],
      ['redirect_uri', req.redirectUri],
      ['scope', req.scope],
      ['state', req.state],
    ];
    if (req.nonce !== undefined) query.push(['nonce', req.nonce]);
    return `${this.endpoint.publicUrl}/api/v1/oauth2/authorize?${encodeQuery(query)}`;
  }

  /**
   * Exchanges the callback's `code` (`POST /api/v1/oauth2/token`, grant `authorization_code`).
   * `redirectUri` must equal the one of {@link authorizeUrl} (mandatory for OIDC).
   * @throws UpstreamError UPSTREAM_REJECTED (`invalid_grant`, `invalid_client`, ...);
   * UPSTREAM_BAD_RESPONSE without `access_token`; UPSTREAM_TIMEOUT; UPSTREAM_UNAVAILABLE.
   */
  exchangeCode(code: string, redirectUri: string): Promise<OAuthTokens> {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
  }

  /**
   * New tokens from a refresh token (`POST /api/v1/oauth2/token`, grant `refresh_token`). The answer
   * may or may not carry a new refresh token (rotation is not documented).
   * @throws UpstreamError UPSTREAM_REJECTED (`invalid_grant` when the refresh token is no longer
   * valid: callers end the session); UPSTREAM_BAD_RESPONSE; UPSTREAM_TIMEOUT; UPSTREAM_UNAVAILABLE.
   */
  refresh(refreshToken: string): Promise<OAuthTokens> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /**
   * The user of an access token (`GET /api/v1/oauth2/userinfo`). An `id` is required; OIDC's `sub`
   * is accepted in its place.
   * @throws UpstreamError UPSTREAM_REJECTED with upstreamCode `unauthorized` for any 401 (token
   * expired or revoked); UPSTREAM_BAD_RESPONSE without an id; UPSTREAM_TIMEOUT; UPSTREAM_UNAVAILABLE.
   */
  async getUserInfo(accessToken: string): Promise<OAuthUserInfo> {
    let res: Record<string, unknown>;
    try {
      res = await this.transport.call<Record<string, unknown>>({
        method: 'GET',
        path: '/api/v1/oauth2/userinfo',
        headers: { Authorization: `Bearer ${accessToken}` },
        expect: 'json',
        errorShape: 'oauth',
      });
    } catch (err) {
      throw unauthorizedAsRejected(err);
    }
    const id = isString(res.id) ? res.id : res.sub;
    if (!isString(id)) throw badResponse('userinfo without id');
    const user: OAuthUserInfo = { id };
    for (const key of ['userName', 'name', 'email', 'mobile'] as const) {
      const value = res[key];
      if (isString(value)) user[key] = value;
    }
    return user;
  }

  /**
   * The browser URL of OneAccess's global logout (`GET /api/v1/logout`), which ends the OneAccess
   * SSO cookie session and then redirects to `redirectUrl`.
   */
  globalLogoutUrl(redirectUrl: string): string {
    return `${this.endpoint.publicUrl}/api/v1/logout?${encodeQuery([['redirect_url', redirectUrl]])}`;
  }

  private async token(grant: Record<string, string>): Promise<OAuthTokens> {
    const res = await this.transport.call<Record<string, unknown>>({
      method: 'POST',
      path: '/api/v1/oauth2/token',
      form: {
        ...grant,
        client_id: this.endpoint.clientId,
        client_secret: this.endpoint.clientSecret,
      },
      expect: 'json',
      errorShape: 'oauth',
    });
    if (!isString(res.access_token)) throw badResponse('token answer without access_token');
    const tokens: OAuthTokens = { access_token: res.access_token };
    for (const key of ['token_type', 'scope', 'refresh_token', 'id_token'] as const) {
      const value = res[key];
      if (isString(value)) tokens[key] = value;
    }
    const expiresIn = toSeconds(res.expires_in, 'token expires_in');
    if (expiresIn !== undefined) tokens.expires_in = expiresIn;
    return tokens;
  }
}

/**
 * Userinfo answers 401 when the access token is not accepted (section 8.3). The transport turns a
 * 401 with an OAuth body into UPSTREAM_REJECTED already, but a 401 without one (a bare
 * `WWW-Authenticate` challenge) would be UPSTREAM_BAD_RESPONSE: callers must see one stable
 * signal for "token refused" to end the session instead of answering 502.
 */
function unauthorizedAsRejected(err: unknown): unknown {
  if (!(err instanceof UpstreamError) || err.upstreamStatus !== 401) return err;
  if (err.code === 'UPSTREAM_REJECTED' && err.upstreamCode === 'unauthorized') return err;
  return new UpstreamError(
    'UPSTREAM_REJECTED',
    'oneaccess',
    err.code === 'UPSTREAM_REJECTED' ? err.message : undefined,
    {
      upstreamCode: 'unauthorized',
      upstreamStatus: 401,
      cause: err,
    },
  );
}

/** RFC 3986 encoding (`%20`, not `+`): some servers read `+` in a query literally. */
function encodeQuery(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}
