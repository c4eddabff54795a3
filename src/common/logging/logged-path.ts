/**
 * The path of a request as logged: no query string (it may carry an OAuth code or state), and
 * the admin API's session handle masked: it is an encrypted session id, so it stays out of logs
 * like the id itself (docs/security.md 15); the `session_revoked` audit line has the session's hash.
 * In any case, as Express routes `/ADMIN/Sessions/<handle>` to the admin API too.
 */
export function loggedPath(url: string): string {
  return url.split('?')[0].replace(/(\/admin\/sessions\/)[^/]+/i, '$1[handle]');
}
