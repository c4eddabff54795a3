import type { IncomingMessage } from 'node:http';

/**
 * The path of a request as logged: no query string (it may carry an OAuth code or state), and
 * the admin API's session handle masked: it is an encrypted session id, so it stays out of logs
 * like the id itself (docs/security.md 15); the `session_revoked` audit line has the session's hash.
 * In any case, as Express routes `/ADMIN/Sessions/<handle>` to the admin API too.
 */
export function loggedPath(url: string): string {
  return url.split('?')[0].replace(/(\/admin\/sessions\/)[^/]+/i, '$1[handle]');
}

/** The Express route's template, or null for none (a catch-all middleware route is not a route). */
export function expressRoute(req: IncomingMessage): string | null {
  const routePath = (req as IncomingMessage & { route?: { path?: unknown } }).route?.path;
  // e.g. the auth metrics' `auth/{*path}`
  return typeof routePath === 'string' && !routePath.includes('{*') ? routePath : null;
}
