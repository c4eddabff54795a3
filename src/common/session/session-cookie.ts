import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { unsign } from 'cookie-signature';
import type { IncomingMessage } from 'node:http';
import { sessionConfig } from '../../config/session.config';
import { AuditLog } from '../audit/audit-log';
import { recordSessionRejected } from '../audit/request-audit';
import { readCookie } from '../http/http-facts';
import { contextOf, RequestContext } from '../http/request-context';
import { COMMON_METRICS, CommonMetrics } from '../metrics/common-metrics';
import type { SessionCookie } from './session.types';

/** How many verified cookies a reader remembers (about 100 bytes each). */
const REMEMBERED_COOKIES = 10_000;
/** `session_rejected` lines: one per client address per window, and this many in all. */
const REJECTED_LINES_WINDOW_MS = 60_000;
const REJECTED_LINES_PER_WINDOW = 100;

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
  /** The client addresses that had a `session_rejected` line in the current window. */
  private readonly linedClients = new Set<string>();
  private linesWindowStartedAt = 0;
  /** Requests already counted: a path may read the cookie twice (a CSRF audit, then the call). */
  private readonly counted = new WeakSet<IncomingMessage>();
  private readonly name: string;
  private readonly secrets: readonly string[];

  constructor(
    @Inject(sessionConfig.KEY) cfg: ConfigType<typeof sessionConfig>,
    @Optional() private readonly audit?: AuditLog,
    @Optional() @Inject(COMMON_METRICS) private readonly metrics?: CommonMetrics,
  ) {
    this.name = cfg.cookieName;
    this.secrets = cfg.secrets;
  }

  /** How many verified cookies are remembered now (at most {@link REMEMBERED_COOKIES}). */
  get remembered(): number {
    return this.verified.size;
  }

  /**
   * The session id of the request's session cookie, or null (none, or a forged signature). A
   * cookie that is there but does not verify (forged, altered, or signed by a secret no longer
   * configured) is counted and audited here, where every path reads the cookie
   * ({@link rejected}). `ctx`: the request's context, which the fast paths hold without having
   * attached it to the request.
   */
  sessionId(req: IncomingMessage, ctx?: RequestContext): string | null {
    const raw = readCookie(req.headers.cookie, this.name);
    if (!raw) return null;
    const known = this.verified.get(raw);
    if (known !== undefined) return known;
    const value = cookieValue(raw);
    const sid = value === null ? null : verifiedSessionId(value, this.secrets);
    if (sid === null) {
      this.rejected(req, ctx);
      return null;
    }
    if (encodeURIComponent(value!) === raw) {
      // Oldest first out: a Map iterates in insertion order.
      if (this.verified.size >= REMEMBERED_COOKIES)
        this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(raw, sid);
    }
    return sid;
  }

  /**
   * A session cookie that did not verify (docs/security.md 10): counted in
   * `bff_session_cookies_rejected_total` once per request, and audited as `session_rejected` once
   * per client address per minute window and at most {@link REJECTED_LINES_PER_WINDOW} times in
   * it, so a scanner cycling cookies, or addresses, cannot flood the audit log (the metric keeps
   * the volume). The line holds the request's id, method, path and the client's pseudonym, never
   * the cookie.
   */
  private rejected(req: IncomingMessage, ctx: RequestContext | undefined): void {
    if (this.counted.has(req)) return;
    this.counted.add(req);
    this.metrics?.sessionCookiesRejected.inc();
    // Looked up here, on the rare path, not on every call of a genuine cookie.
    const context = ctx ?? contextOf(req);
    if (!this.audit || !context) return;
    const now = Date.now();
    if (now - this.linesWindowStartedAt >= REJECTED_LINES_WINDOW_MS) {
      this.linesWindowStartedAt = now;
      this.linedClients.clear();
    }
    const client = context.clientIp;
    if (this.linedClients.has(client) || this.linedClients.size >= REJECTED_LINES_PER_WINDOW)
      return;
    this.linedClients.add(client);
    recordSessionRejected(this.audit, context);
  }
}
