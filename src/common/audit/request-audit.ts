import type { RequestContext } from '../http/request-context';
import { loggedPath } from '../logging/logged-path';
import type { AuditLog } from './audit-log';

/**
 * The one `csrf_rejected` line, whichever path refused the request (the relay, the Nest
 * middleware under /auth, the front door): the request's id, why, its method and canonical path
 * (as logged: no query, the admin handle masked), the relay route (null elsewhere), the session
 * it rode on and the client, hashed (docs/security.md check 47). Built from the request's
 * context, so no path can leave a field out (CONTRIBUTING.md section 10).
 */
export function recordCsrfRejected(
  audit: AuditLog,
  ctx: RequestContext,
  sessionId: string | null,
  route: string | null = null,
  // A WebSocket upgrade is a GET, judged as a state-changing call: its verdict is its own.
  reason: string | null = ctx.csrfViolation,
): void {
  audit.record(
    'csrf_rejected',
    {
      // Named here unless the request's logger names it already (Express).
      ...(ctx.idInLogBindings ? {} : { request_id: ctx.id }),
      reason,
      method: ctx.method,
      path: loggedPath(ctx.path),
      route,
    },
    sessionId ?? undefined,
    { client: ctx.clientIp },
  );
}

/**
 * A session cookie that did not verify (SessionCookieReader): the shape of `csrf_rejected`, less
 * the session (there is none to name) and the route. Never the cookie's value.
 */
export function recordSessionRejected(audit: AuditLog, ctx: RequestContext): void {
  audit.record(
    'session_rejected',
    {
      ...(ctx.idInLogBindings ? {} : { request_id: ctx.id }),
      reason: 'bad_signature',
      method: ctx.method,
      path: loggedPath(ctx.path),
    },
    undefined,
    { client: ctx.clientIp },
  );
}
