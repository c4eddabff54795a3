import { randomBytes } from 'node:crypto';
import { OAuthClient } from '../oneaccess/oauth.client';
import { fetchOnce, jsonObject, PlainAnswer } from './doctor-http';
import { CheckResult, fail, ok, warn } from './doctor.types';
import { OneAccessProbe } from './oneaccess-probe';

const DISCOVERY_PATH = '/api/v1/oauth2/.well-known/openid-configuration';

/**
 * Why plain http in the OIDC documents matters in production: id_tokens are verified against
 * keys fetched from the JWKS URI, so whoever is on that path can swap the keys and sign users
 * in; an http issuer usually means OneAccess sits behind a TLS proxy that does not tell it so.
 */
const PLAIN_HTTP_OIDC =
  'plain http in production: whoever is on the path can swap the id_token keys; have OneAccess (or the proxy in front of it) publish https URLs, or set OAUTH_ISSUER and OAUTH_JWKS_URL';

const isPlainHttp = (url: string) => url.toLowerCase().startsWith('http:');

export interface OidcSettings {
  /** OAUTH_JWKS_URL, when the operator names the keys instead of the discovery document. */
  jwksUrl?: string;
  /** PUBLIC_ORIGIN + BASE_PATH + /auth/oauth/callback, as the gateway sends it. */
  redirectUri: string;
  scope: string;
}

/**
 * `oidc-discovery` and `jwks`: the documents the id_token verification needs. Small fetches of
 * their own, so the doctor does not depend on the verifier's cache or error policy.
 */
export async function checkDiscoveryAndJwks(
  probe: OneAccessProbe,
  settings: OidcSettings,
): Promise<CheckResult[]> {
  const discoveryUrl = probe.endpoint.baseUrl + DISCOVERY_PATH;
  let jwksUrl = settings.jwksUrl;
  let discovery: CheckResult;
  try {
    const doc = jsonObject((await get(probe, discoveryUrl)).text);
    if (!doc || typeof doc.issuer !== 'string' || typeof doc.jwks_uri !== 'string') {
      throw new Error('not an OpenID configuration (issuer and jwks_uri expected)');
    }
    jwksUrl ??= doc.jwks_uri;
    const found = `issuer ${doc.issuer}, jwks_uri ${doc.jwks_uri}`;
    discovery =
      probe.production && (isPlainHttp(doc.issuer) || isPlainHttp(doc.jwks_uri))
        ? warn('oidc-discovery', `${found}: ${PLAIN_HTTP_OIDC}`)
        : ok('oidc-discovery', found);
  } catch (err) {
    const why = `no discovery document at ${discoveryUrl} (${describe(probe, err)})`;
    discovery = settings.jwksUrl
      ? warn(
          'oidc-discovery',
          `${why}; OAUTH_JWKS_URL is set, so only the issuer needs OAUTH_ISSUER`,
        )
      : fail(
          'oidc-discovery',
          `${why}: set OAUTH_JWKS_URL and OAUTH_ISSUER from the admin portal (OIDC settings)`,
        );
  }
  if (!jwksUrl) return [discovery, fail('jwks', 'not checked: no JWKS URL (set OAUTH_JWKS_URL)')];
  return [discovery, await checkJwks(probe, jwksUrl)];
}

async function checkJwks(probe: OneAccessProbe, url: string): Promise<CheckResult> {
  try {
    const doc = jsonObject((await get(probe, url)).text);
    if (!doc || !Array.isArray(doc.keys)) throw new Error('not a JWK set ("keys" expected)');
    const keys = (doc.keys as unknown[]).map((k) =>
      typeof k === 'object' && k !== null ? (k as Record<string, unknown>) : {},
    );
    if (keys.length === 0) return fail('jwks', `${url} has no keys: id_tokens cannot be verified`);
    const text = (v: unknown) => (typeof v === 'string' ? v : '?');
    const names = keys.map(
      (k) => `${text(k.kty)}/${text(k.alg)}${typeof k.kid === 'string' ? ` ${k.kid}` : ''}`,
    );
    const found = `${keys.length} key${keys.length === 1 ? '' : 's'} at ${url} (${names.join(', ')})`;
    return probe.production && isPlainHttp(url)
      ? warn('jwks', `${found}: ${PLAIN_HTTP_OIDC}`)
      : ok('jwks', found);
  } catch (err) {
    return fail(
      'jwks',
      `cannot read ${url} (${describe(probe, err)}): check OAUTH_JWKS_URL or the discovery document`,
    );
  }
}

/**
 * `oauth-redirect-uri`: asks `authorize` for a code with the gateway's client id and callback,
 * without following redirects. A login page, or a redirect that is not an error, means the
 * redirect URI is accepted; an error page, an `error=` redirect or a 4xx means it is not.
 * No code is ever exchanged: the state is random and thrown away.
 */
export async function checkRedirectUri(
  probe: OneAccessProbe,
  settings: OidcSettings,
): Promise<CheckResult> {
  const name = 'oauth-redirect-uri';
  const url = new OAuthClient(probe.transport, probe.endpoint).authorizeUrl({
    redirectUri: settings.redirectUri,
    scope: settings.scope,
    state: `doctor-${randomBytes(8).toString('hex')}`,
  });
  const fix = `register ${settings.redirectUri} as the application's callback in OneAccess, or fix PUBLIC_ORIGIN / BASE_PATH`;
  let answer: PlainAnswer;
  try {
    answer = await fetchOnce(probe.dispatcher, url, probe.endpoint.timeoutMs);
  } catch (err) {
    return fail(name, `GET authorize failed (${describe(probe, err)})`);
  }
  if (answer.status >= 300 && answer.status < 400 && answer.location) {
    const to = new URL(answer.location, url);
    const error = to.searchParams.get('error');
    if (error) {
      const description = to.searchParams.get('error_description');
      return fail(
        name,
        `authorize redirects with error=${error}${description ? ` (${description})` : ''}: ${fix}`,
      );
    }
    if (/error/i.test(to.pathname))
      return fail(name, `authorize redirects to an error page (${to.pathname}): ${fix}`);
    const back = to.origin + to.pathname === settings.redirectUri.split('?')[0];
    return ok(
      name,
      `${settings.redirectUri} accepted (authorize redirects ${back ? 'back to it' : 'to the login page'})`,
    );
  }
  if (answer.status >= 200 && answer.status < 300)
    return ok(name, `${settings.redirectUri} accepted (authorize answers a login page)`);
  const body = jsonObject(answer.text);
  const error = typeof body?.error === 'string' ? body.error : undefined;
  const description =
    typeof body?.error_description === 'string' ? body.error_description : undefined;
  return fail(
    name,
    `authorize answered HTTP ${answer.status}${error ? ` ${error}` : ''}${description ? ` (${description})` : ''}: ${fix}`,
  );
}

async function get(probe: OneAccessProbe, url: string): Promise<PlainAnswer> {
  const answer = await fetchOnce(probe.dispatcher, url, probe.endpoint.timeoutMs);
  if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
  return answer;
}

function describe(probe: OneAccessProbe, err: unknown): string {
  return err instanceof Error && /^HTTP \d+$|^not a/.test(err.message)
    ? err.message
    : probe.explain(err);
}
