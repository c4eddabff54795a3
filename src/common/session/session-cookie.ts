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

/**
 * A raw cookie value as express-session reads it (through `cookie.parse`): surrounding double
 * quotes removed, percent-escapes decoded; null when an escape is malformed (express-session
 * then sees no signed cookie either).
 */
function cookieValue(raw: string): string | null {
  const value =
    raw.length > 1 && raw[0] === '"' && raw[raw.length - 1] === '"' ? raw.slice(1, -1) : raw;
  if (value.indexOf('%') < 0) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** The session id of a decoded cookie value whose signature verifies, or null. */
function verifiedSessionId(value: string, secrets: readonly string[]): string | null {
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
 *
 * A cookie has many spellings that decode to one value (other escapes, lower-case hex, quotes),
 * and express-session accepts them all, so this reader does too; but only the spelling
 * express-session writes (`encodeURIComponent` of the value, what browsers send back) is
 * remembered, so that one cookie holds one place however it is spelled, and spelling it anew on
 * every request cannot push the genuine ones out. Other spellings cost their HMAC each time, as
 * a forged cookie does.
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

  /** How many verified cookies are remembered now (at most {@link REMEMBERED_COOKIES}). */
  get remembered(): number {
    return this.verified.size;
  }

  /** The session id of the request's session cookie, or null (none, or a forged signature). */
  sessionId(cookieHeader: string | undefined): string | null {
    const raw = readCookie(cookieHeader, this.name);
    if (!raw) return null;
    const known = this.verified.get(raw);
    if (known !== undefined) return known;
    const value = cookieValue(raw);
    if (value === null) return null;
    const sid = verifiedSessionId(value, this.secrets);
    if (sid !== null && encodeURIComponent(value) === raw) {
      // Oldest first out: a Map iterates in insertion order.
      if (this.verified.size >= REMEMBERED_COOKIES)
        this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(raw, sid);
    }
    return sid;
  }
}
