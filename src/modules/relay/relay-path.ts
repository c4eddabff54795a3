/**
 * Where `/api/<name><rest>` goes: `<target path><rest>` on the target's origin, query kept, or
 * null when `rest` tries to leave the target (security.md check 36): `..` or `.` segments (also
 * percent-encoded), encoded slashes or backslashes, raw backslashes, NUL, or anything that would
 * resolve to another origin or outside the target's base path.
 */
export function relayTarget(target: URL, rest: string): URL | null {
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? '' : rest.slice(q);
  if (path !== '' && !path.startsWith('/')) return null;
  if (/%2f|%5c|%00|\\/i.test(path)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) return null;
  const base = target.pathname.replace(/\/+$/, '');
  const url = new URL(target.origin);
  url.pathname = `${base}${path}` || '/';
  url.search = query;
  // Belt and braces: whatever URL parsing made of it must still be under the target.
  if (
    url.origin !== target.origin ||
    !(url.pathname === base || url.pathname.startsWith(`${base}/`) || base === '')
  )
    return null;
  return url;
}
