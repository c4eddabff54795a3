import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { unsign } from 'cookie-signature';
import { sessionConfig } from '../../config/session.config';
import { readCookie } from '../http/http-facts';
import type { SessionCookie } from './session.types';

/** How many verified cookies a reader remembers (about 100 bytes each). */
const REMEMBERED_COOKIES = 10_000;

/** The session cookie's attributes (docs/api.md section 2): one place for setting and expiring it. */
export function sessionCookieOptions(cfg: {
  cookieSecure: boolean;
  cookiePath: string;
}): SessionCookie['options'] {
  return { path: cfg.cookiePath, httpOnly: true, secure: cfg.cookieSecure, sameSite: 'strict' };
}

/** The session id of a raw (URL-encoded) cookie value whose signature verifies, or null. */
function verifiedSessionId(raw: string, secrets: readonly string[]): string | null {
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

/**
 * The session id named by the request's session cookie, as express-session would read it
 * (`s:<id>.<hmac>`, URL-encoded), checked against every configured secret (newest first), for code
 * outside express-session: the relay, the session view, the CSRF audit. They see the same few
 * cookies on every request: a cookie whose signature verified once is remembered, so the HMAC
 * is computed once per cookie rather than once per request. Only verified cookies are remembered
 * (a flood of forged ones cannot evict them, and each still costs its own check); a signature that
 * verified stays valid for the life of the process, since SESSION_SECRETS are fixed at start.
 * Whether the session still exists is the store's answer, asked on every request as before.
 */
@Injectable()
export class SessionCookieReader {
  private readonly verified = new Map<string, string>();
  private readonly name: string;
  private readonly secrets: readonly string[];

  constructor(@Inject(sessionConfig.KEY) cfg: ConfigType<typeof sessionConfig>) {
    this.name = cfg.cookieName;
    this.secrets = cfg.secrets;
  }

  /** The session id of the request's session cookie, or null (none, or a forged signature). */
  sessionId(cookieHeader: string | undefined): string | null {
    const raw = readCookie(cookieHeader, this.name);
    if (!raw) return null;
    const known = this.verified.get(raw);
    if (known !== undefined) return known;
    const sid = verifiedSessionId(raw, this.secrets);
    if (sid !== null) {
      // Oldest first out: a Map iterates in insertion order.
      if (this.verified.size >= REMEMBERED_COOKIES)
        this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(raw, sid);
    }
    return sid;
  }
}
