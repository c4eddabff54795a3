import { unsign } from 'cookie-signature';
import { readCookie } from '../http/http-facts';
import type { SessionCookie } from './session.types';

/** The session cookie's attributes (docs/api.md section 2): one place for setting and expiring it. */
export function sessionCookieOptions(cfg: {
  cookieSecure: boolean;
  cookiePath: string;
}): SessionCookie['options'] {
  return { path: cfg.cookiePath, httpOnly: true, secure: cfg.cookieSecure, sameSite: 'strict' };
}

/**
 * The session id named by the request's session cookie, as express-session would read it
 * (`s:<id>.<hmac>`, URL-encoded), checked against every configured secret (newest first).
 * Null when there is no cookie or its signature does not verify. For code that runs outside
 * express-session: the relay's hot path.
 */
export function sessionIdFromCookie(
  cookieHeader: string | undefined,
  name: string,
  secrets: readonly string[],
): string | null {
  const raw = readCookie(cookieHeader, name);
  if (!raw) return null;
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (!value.startsWith('s:')) return null;
  for (const secret of secrets) {
    const sid = unsign(value.slice(2), secret);
    if (sid !== false) return sid;
  }
  return null;
}
