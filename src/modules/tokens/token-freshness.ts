import type { Credential } from '../../common/session/credential';

/** Which credential a caller is about to use. */
export type TokenNeed = 'session_token' | 'id_token' | 'access_token';

/** The refresh each need may trigger, in the order that satisfies it. */
export type RefreshKind = 'session_token' | 'id_token' | 'access_token';

/**
 * What must be refreshed before `need` can be used, or null when it is fresh (more than
 * `marginMs` left, or no known expiry). A session_token refresh also yields a new id_token.
 * The margin is at most half a token's lifetime: OneAccess may issue tokens shorter than the
 * configured margin, and a fresh one must not look due at once (a refresh on every request).
 */
export function refreshNeeded(
  c: Credential,
  need: TokenNeed,
  now: number,
  marginMs: number,
): RefreshKind | null {
  const stale = (expiresAt: number | undefined, issuedAt: number | undefined) => {
    if (expiresAt === undefined) return false;
    const margin =
      issuedAt === undefined ? marginMs : Math.min(marginMs, (expiresAt - issuedAt) / 2);
    return expiresAt - now < margin;
  };
  const t = c.tokens;
  if (need === 'access_token') {
    return t.access_token && stale(t.access_token_expires_at, t.access_token_issued_at)
      ? 'access_token'
      : null;
  }
  if (t.session_token && stale(t.session_token_expires_at, t.session_token_issued_at))
    return 'session_token';
  if (need === 'id_token' && t.id_token && stale(t.id_token_expires_at, t.id_token_issued_at)) {
    // An OIDC login has no SDK session: its id_token comes with the access token.
    return t.session_token ? 'id_token' : t.refresh_token ? 'access_token' : null;
  }
  return null;
}
