import { clientCredentials, sameClient } from '../auth/client-credentials';
import { pkceChallenge, pkceVerified } from '../oauth/pkce';
import { escapeHtml, LOGIN_PAGE_PATH, loginPage } from '../oauth/login-page';

export { LOGIN_PAGE_PATH };
import { jwks } from '../crypto/jwt';
import { formatMessage } from '../errors/messages';
import { OAuthError, OneAccessError } from '../errors/sim-errors';
import { readForm } from '../http/body';
import { html, json, redirect, type Reply } from '../http/reply';
import type { RequestContext } from '../http/request-context';
import type { Router } from '../http/router';
import type { User } from '../users/user-store';

/** The simulator's OneAccess SSO cookie (the real cookie name is not documented). */
export const SSO_COOKIE = 'ONEACCESS_SIM_SSO';
const AUTHORIZE_PATH = '/api/v1/oauth2/authorize';
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const UNAUTHORIZED = 'Full authentication is required to access this resource';

/** OAuth 2.0 / OIDC (#33–36), JWKS, the login page, CAS logout (#41) and global logout (#44). */
export function registerOAuthRoutes(router: Router): void {
  router.add('GET', AUTHORIZE_PATH, 'oauth', authorize);
  router.add('POST', '/api/v1/oauth2/token', 'oauth', token);

  router.add('GET', '/api/v1/oauth2/userinfo', 'oauth', (ctx) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(ctx.header('authorization') ?? '');
    const grant = bearer ? ctx.sim.state.oauth.accessTokenGrant(bearer[1]) : undefined;
    const user = grant && ctx.sim.state.users.byId(grant.userId);
    if (!user) throw new OAuthError('unauthorized', UNAUTHORIZED, 401);
    return json({
      ...(ctx.sim.config.oauthUserinfoSub ? { sub: user.id } : {}),
      id: user.id,
      userName: user.user_name,
      name: user.name,
      email: user.email,
      mobile: user.mobile,
    });
  });

  router.add('GET', '/api/v1/oauth2/.well-known/openid-configuration', 'oauth', (ctx) => {
    const base = ctx.sim.baseUrl;
    return json({
      issuer: base,
      authorization_endpoint: `${base}${AUTHORIZE_PATH}`,
      token_endpoint: `${base}/api/v1/oauth2/token`,
      userinfo_endpoint: `${base}/api/v1/oauth2/userinfo`,
      jwks_uri: `${base}/api/v1/oauth2/jwks`,
      end_session_endpoint: `${base}/api/v1/logout`,
      response_types_supported: ['code', 'id_token', 'id_token token'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'implicit'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'get_user_info'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'nonce', 'name', 'user_name'],
      ...(ctx.sim.config.oauthPkce === 'off' ? {} : { code_challenge_methods_supported: ['S256'] }),
    });
  });

  // Not a documented path: OneAccess shows its jwks_uri only in the admin portal (§8.4).
  router.add('GET', '/api/v1/oauth2/jwks', 'oauth', (ctx) =>
    json(jwks(ctx.sim.keys.idToken.publicKey, ctx.sim.keys.idToken.kid)),
  );

  router.add('GET', LOGIN_PAGE_PATH, 'browser', (ctx) =>
    html(loginPage(safeReturn(ctx.query.get('redirect')))),
  );
  router.add('POST', LOGIN_PAGE_PATH, 'browser', submitLogin);

  // #44 global logout and #41 CAS logout: both end the SSO cookie session, then redirect.
  router.add('GET', '/api/v1/logout', 'browser', (ctx) => logout(ctx, 'redirect_url'));
  router.add('GET', '/api/v1/cas/logout', 'browser', (ctx) => logout(ctx, 'service'));
}

/** Whether the target is whitelisted is not documented: any http(s) URL is followed. */
function logout(ctx: RequestContext, targetParam: 'redirect_url' | 'service'): Reply {
  ctx.sim.state.oauth.endBrowserSession(cookie(ctx, SSO_COOKIE));
  const target = ctx.query.get(targetParam);
  const location = target && isHttpUrl(target) ? target : LOGIN_PAGE_PATH;
  return redirect(location, {
    'set-cookie': `${SSO_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`,
  });
}

/**
 * #33: validates client and redirect_uri (errors as JSON, since there is nowhere safe to
 * redirect), then needs a browser SSO session: 'auto' mode approves as `oauthAutoUser`,
 * 'login-page' mode 302s to the login page, which comes back here once signed in.
 */
function authorize(ctx: RequestContext): Reply {
  const { config, state } = ctx.sim;
  const q = ctx.query;
  if (q.get('client_id') !== config.clientId)
    throw new OAuthError('invalid_client', 'Bad client credentials');
  const redirectUri = resolveRedirectUri(ctx, q.get('redirect_uri'));
  const responseTypes = (q.get('response_type') ?? '').split(' ').filter(Boolean).sort().join(' ');
  const stateParam = q.get('state') ?? undefined;
  if (!['code', 'id_token', 'id_token token'].includes(responseTypes)) {
    return redirect(
      withParams(redirectUri, { error: 'unsupported_response_type', state: stateParam }),
    );
  }
  const implicit = responseTypes !== 'code';
  const scope = q.get('scope') || (implicit ? 'openid' : 'get_user_info');
  const nonce = q.get('nonce') ?? undefined;
  const pkce = pkceChallenge(ctx, implicit);
  if ('error' in pkce) {
    return redirect(
      withParams(redirectUri, {
        error: 'invalid_request',
        error_description: pkce.error,
        state: stateParam,
      }),
    );
  }

  const headers: Record<string, string> = {};
  let user = userOf(ctx, state.oauth.browserSessionUser(cookie(ctx, SSO_COOKIE)));
  if (!user) {
    if (config.oauthAuthorize === 'login-page') {
      return redirect(
        `${LOGIN_PAGE_PATH}?redirect=${encodeURIComponent(`${AUTHORIZE_PATH}?${q.toString()}`)}`,
      );
    }
    user = state.users.byName(config.oauthAutoUser);
    if (!user) throw new OAuthError('server_error', 'oauthAutoUser is not a user of the seed', 500);
    headers['set-cookie'] = ssoCookie(state.oauth.startBrowserSession(user.id));
  }
  if (user.access_denied)
    return redirect(
      withParams(redirectUri, { error: 'access_denied', state: stateParam }),
      headers,
    );

  const grant = { clientId: config.clientId, userId: user.id, scope, nonce };
  if (!implicit) {
    const code = state.oauth.issueCode({ ...grant, redirectUri, codeChallenge: pkce.challenge });
    return redirect(withParams(redirectUri, { code, state: stateParam }), headers);
  }
  const fragment: Record<string, string | undefined> = { state: stateParam };
  if (responseTypes === 'id_token token') {
    const tokens = state.oauth.issueTokens(grant, user, { refreshToken: 'none', idToken: true });
    Object.assign(fragment, {
      access_token: tokens.access_token,
      token_type: 'Bearer',
      expires_in: String(tokens.expires_in),
      id_token: tokens.id_token,
    });
  } else {
    fragment.id_token = state.idTokens.mint('oauth_id_token', {
      sub: user.id,
      aud: config.clientId,
      lifetimeS: config.lifetimes.idToken,
      nonce,
      name: user.name,
      user_name: user.user_name,
    });
  }
  return redirect(
    `${redirectUri.split('#')[0]}#${new URLSearchParams(defined(fragment)).toString()}`,
    headers,
  );
}

/** #34: authorization_code and refresh_token grants; client credentials in the form (or Basic). */
function token(ctx: RequestContext): Reply {
  const { config, state } = ctx.sim;
  const form = readForm(ctx);
  const { clientId, clientSecret, method } = clientCredentials(ctx, form);
  const allowed = config.oauthClientAuth;
  if (allowed !== 'any' && method !== allowed)
    throw new OAuthError('invalid_client', `Client authentication must use ${allowed}`, 401);
  if (!clientId || !clientSecret || !sameClient(ctx, clientId, clientSecret)) {
    throw new OAuthError('invalid_client', 'Bad client credentials', 401);
  }
  const grantType = form.get('grant_type');
  if (!grantType) throw new OAuthError('invalid_request', 'Missing grant type');

  if (grantType === 'authorization_code') {
    const value = form.get('code');
    if (!value) throw new OAuthError('invalid_request', 'An authorization code must be supplied.');
    const code = state.oauth.takeCode(value);
    const user = code && code.clientId === clientId ? state.users.byId(code.userId) : undefined;
    if (!code || !user) throw new OAuthError('invalid_grant', 'Invalid authorization code');
    const redirectUri = form.get('redirect_uri');
    if (redirectUri !== null && redirectUri !== code.redirectUri)
      throw new OAuthError('invalid_grant', 'Redirect URI mismatch.');
    if (!pkceVerified(code.codeChallenge, form.get('code_verifier'), config.oauthPkce))
      throw new OAuthError('invalid_grant', 'PKCE verification failed');
    const grant = { clientId, userId: code.userId, scope: code.scope, nonce: code.nonce };
    const tokens = state.oauth.issueTokens(grant, user, {
      refreshToken: config.oauthRefreshTokens ? 'new' : 'none',
      idToken: hasOpenId(code.scope),
    });
    return json(tokens, 200, NO_STORE);
  }

  if (grantType === 'refresh_token') {
    const value = form.get('refresh_token');
    // Checked before redeeming, so a refused refresh leaves the token usable afterwards.
    if (!value || ctx.sim.refusesRefresh(ctx.path))
      throw new OAuthError('invalid_grant', 'Invalid refresh token');
    const redeemed = state.oauth.redeemRefreshToken(value, clientId);
    const user = redeemed && state.users.byId(redeemed.grant.userId);
    if (!redeemed || !user) throw new OAuthError('invalid_grant', 'Invalid refresh token');
    const tokens = state.oauth.issueTokens(redeemed.grant, user, {
      refreshToken: redeemed.keep ? { keep: redeemed.keep } : 'new',
      idToken: hasOpenId(redeemed.grant.scope),
    });
    return json(tokens, 200, NO_STORE);
  }

  throw new OAuthError('unsupported_grant_type', `Unsupported grant type: ${grantType}`);
}

/** The login page's form post: password and access policy only (no MFA or expiry steps). */
function submitLogin(ctx: RequestContext): Reply {
  const form = readForm(ctx);
  const returnTo = safeReturn(form.get('redirect'));
  const userName = form.get('user_name') ?? '';
  const password = form.get('password') ?? '';
  const { users, lockout, oauth } = ctx.sim.state;
  try {
    lockout.assertNotLocked(userName);
    const user = users.byName(userName);
    if (!user || !user.password || user.password !== password)
      throw lockout.recordFailure(userName);
    lockout.recordSuccess(userName);
    if (user.access_denied) return html(loginPage(returnTo, 'Access denied.'), 403);
    const headers = { 'set-cookie': ssoCookie(oauth.startBrowserSession(user.id)) };
    return returnTo
      ? redirect(returnTo, headers)
      : html(`<p>Signed in as ${escapeHtml(user.user_name)}.</p>`, 200, headers);
  } catch (err) {
    if (!(err instanceof OneAccessError)) throw err;
    // The API's localised message: remaining attempts, or the lock time.
    return html(loginPage(returnTo, formatMessage(err.key, err.params, ctx.lang)), 401);
  }
}

function resolveRedirectUri(ctx: RequestContext, given: string | null): string {
  const registered = ctx.sim.config.oauthRedirectUris;
  if (!given) {
    if (registered.length > 0) return registered[0];
    throw new OAuthError('invalid_request', 'A redirect_uri must be supplied.');
  }
  if (!isHttpUrl(given)) throw new OAuthError('invalid_request', 'Invalid redirect_uri');
  // Exact string comparison (RFC 9700 §4.1.3): an origin or prefix match lets any page of the
  // registered site, open redirects included, receive codes.
  if (registered.length > 0 && !registered.includes(given)) {
    throw new OAuthError(
      'invalid_request',
      `Invalid redirect: ${given} does not match one of the registered values.`,
    );
  }
  return given;
}

function userOf(ctx: RequestContext, userId: string | undefined): User | undefined {
  return userId === undefined ? undefined : ctx.sim.state.users.byId(userId);
}

function hasOpenId(scope: string): boolean {
  return scope.split(/[\s,]+/).includes('openid');
}

function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(defined(params))) url.searchParams.set(key, value);
  return url.toString();
}

function defined(params: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Only this server's authorize URL may be a return target (no open redirect). */
function safeReturn(value: string | null): string | undefined {
  return value && value.startsWith(`${AUTHORIZE_PATH}?`) ? value : undefined;
}

function ssoCookie(id: string): string {
  return `${SSO_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`;
}

function cookie(ctx: RequestContext, name: string): string | undefined {
  for (const part of (ctx.header('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
