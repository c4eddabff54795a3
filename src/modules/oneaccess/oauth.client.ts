import { Inject, Injectable } from '@nestjs/common';
import { UpstreamError } from '../../common/errors/app-error';
import { ONEACCESS_ENDPOINT, OneAccessEndpoint } from './oneaccess-endpoint';
import { OneAccessTransport } from './oneaccess-transport';
import {
  AuthorizeRequest,
  JsonWebKeySet,
  OAuthTokens,
  OAuthUserInfo,
  OidcDiscovery,
} from './oneaccess.types';
import { badResponse, isObject, isString, toSeconds } from './oneaccess-answer';

/** Where OneAccess publishes its OIDC metadata (section 8.4). */
export const DISCOVERY_PATH = '/api/v1/oauth2/.well-known/openid-configuration';

/**
 * OneAccess's OAuth 2.0 / OIDC endpoints (`/api/v1/oauth2/*`, docs/oneaccess.md section 8) for the
 * redirect login, plus the browser URL of the global logout. Errors follow the OAuth body shape
 * `{error, error_description}`; `error` becomes `upstreamCode` (e.g. `invalid_grant`).
 *
 * The client credentials travel in the form body by default, the only client authentication
 * Huawei documents; `ONEACCESS_CLIENT_AUTH=client_secret_basic` sends them as HTTP Basic instead
 * (Bamboo's way, section 8.2) for an instance that requires it.
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
    if (req.codeChallenge !== undefined)
      query.push(['code_challenge', req.codeChallenge], ['code_challenge_method', 'S256']);
    return `${this.endpoint.publicUrl}/api/v1/oauth2/authorize?${encodeQuery(query)}`;
  }

  /**
   * Exchanges the callback's `code` (`POST /api/v1/oauth2/token`, grant `authorization_code`).
   * `redirectUri` must equal the one of {@link authorizeUrl} (mandatory for OIDC).
   * @throws UpstreamError UPSTREAM_REJECTED (`invalid_grant`, `invalid_client`, ...);
   * UPSTREAM_BAD_RESPONSE without `access_token`; UPSTREAM_TIMEOUT; UPSTREAM_UNAVAILABLE.
   */
  exchangeCode(code: string, redirectUri: string, codeVerifier?: string): Promise<OAuthTokens> {
    const grant: Record<string, string> = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
    };
    if (codeVerifier !== undefined) grant.code_verifier = codeVerifier;
    return this.token(grant);
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
    if (isString(res.sub)) user.sub = res.sub;
    for (const key of ['userName', 'name', 'email', 'mobile'] as const) {
      const value = res[key];
      if (isString(value)) user[key] = value;
    }
    return user;
  }

  /**
   * OneAccess's OIDC discovery document (section 8.4): the issuer and where the keys are.
   * @throws UpstreamError UPSTREAM_BAD_RESPONSE without `issuer` or `jwks_uri`; UPSTREAM_TIMEOUT;
   * UPSTREAM_UNAVAILABLE.
   */
  async getDiscovery(): Promise<OidcDiscovery> {
    const res = await this.transport.call<Record<string, unknown>>({
      method: 'GET',
      path: DISCOVERY_PATH,
      expect: 'json',
      errorShape: 'oauth',
    });
    if (!isString(res.issuer) || !isString(res.jwks_uri) || !isHttpUrl(res.jwks_uri))
      throw badResponse('discovery without issuer or jwks_uri');
    return { issuer: res.issuer, jwks_uri: res.jwks_uri };
  }

  /**
   * The id_token signing keys at `jwksUrl` (from discovery or OAUTH_JWKS_URL), fetched through
   * the gateway's own transport (timeouts, TLS, body limit), not jose's fetcher.
   * @throws UpstreamError UPSTREAM_BAD_RESPONSE when `keys` is not a list; UPSTREAM_TIMEOUT;
   * UPSTREAM_UNAVAILABLE.
   */
  async getJwks(jwksUrl: string): Promise<JsonWebKeySet> {
    const url = new URL(jwksUrl);
    const res = await this.transport.call<Record<string, unknown>>({
      method: 'GET',
      origin: url.origin,
      path: url.pathname + url.search,
      expect: 'json',
      errorShape: 'oauth',
    });
    if (!Array.isArray(res.keys) || !res.keys.every(isObject))
      throw badResponse('JWKS without a keys list');
    return { keys: res.keys };
  }

  /**
   * The browser URL of OneAccess's CAS logout (`GET /api/v1/cas/logout`, section 8.5), which ends
   * the SSO session and redirects to `service`.
   */
  casLogoutUrl(service: string): string {
    return `${this.endpoint.publicUrl}/api/v1/cas/logout?${encodeQuery([['service', service]])}`;
  }

  /**
   * The browser URL of OneAccess's global logout (`GET /api/v1/logout`), which ends the OneAccess
   * SSO cookie session and then redirects to `redirectUrl`.
   */
  globalLogoutUrl(redirectUrl: string): string {
    return `${this.endpoint.publicUrl}/api/v1/logout?${encodeQuery([['redirect_url', redirectUrl]])}`;
  }

  private async token(grant: Record<string, string>): Promise<OAuthTokens> {
    const { clientId, clientSecret } = this.endpoint;
    const basic = this.endpoint.clientAuth === 'client_secret_basic';
    const res = await this.transport.call<Record<string, unknown>>({
      method: 'POST',
      path: '/api/v1/oauth2/token',
      // One authentication method per request (RFC 6749 §2.3): Basic replaces the form fields.
      headers: basic ? { Authorization: basicAuthorization(clientId, clientSecret) } : undefined,
      form: basic ? grant : { ...grant, client_id: clientId, client_secret: clientSecret },
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
    err.code === 'UPSTREAM_REJECTED' ? err.upstreamMessage : undefined,
    {
      upstreamCode: 'unauthorized',
      upstreamStatus: 401,
      cause: err,
    },
  );
}

/** RFC 6749 §2.3.1: each part is form-encoded before the Basic encoding. */
function basicAuthorization(clientId: string, clientSecret: string): string {
  const part = (v: string) => new URLSearchParams([['', v]]).toString().slice(1);
  return `Basic ${Buffer.from(`${part(clientId)}:${part(clientSecret)}`).toString('base64')}`;
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s]+$/.test(value);
}

/** RFC 3986 encoding (`%20`, not `+`): some servers read `+` in a query literally. */
function encodeQuery(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}
