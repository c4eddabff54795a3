const PERCENT = 0x25;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * One round of percent-decoding, byte by byte and lenient (`%zz` stays as it is). It only serves
 * to find the ASCII a decoding server or proxy would see (letters, dots, separators, `;`), so
 * decoding bytes to single characters is exact enough, and a malformed escape cannot make a
 * path unmatchable.
 */
export function percentDecodeOnce(s: string): string {
  if (s.indexOf('%') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === PERCENT && i + 2 < s.length) {
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hexValue(s.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out += String.fromCharCode(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

/**
 * A path already in canonical form: lower case, segments of plain characters, no empty, `.` or
 * `..` segment, no trailing slash. Most requests are, and skip the work below.
 */
const CANONICAL = /^(?:\/(?!\.\.?(?:\/|$))[a-z0-9\-._~!$&'()*+,;=:@]+)+$/;

/** Where the path of a request target ends: at the query, or at a fragment a client left in. */
function pathOf(url: string): string {
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x3f || c === 0x23) return url.slice(0, i);
  }
  return url;
}

/** `path` (no query) with its escapes decoded once, dot segments resolved, empty ones dropped, lower-cased. */
function normalise(path: string): string {
  if (path === '/' || CANONICAL.test(path)) return path;
  const out: string[] = [];
  for (const segment of percentDecodeOnce(path).toLowerCase().split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}`;
}

/** True when `path` is `prefix` itself or below it (`/portal`, `/portal/x`, not `/portalx`). */
export function isAtOrUnder(path: string, prefix: string): boolean {
  return (
    prefix === '' ||
    prefix === '/' ||
    path === prefix ||
    (path.startsWith(prefix) && path.charCodeAt(prefix.length) === 0x2f)
  );
}

/**
 * The one spelling of a request's path that every guard matches against (the ops paths, the
 * `/auth` CSRF scope, the ownership of `/api`, `return_to`): whatever spelling a client sends,
 * Express (which routes case-insensitively and ignores a trailing slash) or a proxy in front
 * (which decodes escapes, merges slashes and resolves dot segments) may serve it as the plain
 * path, so a guard that matched the spelling could be walked around. The query is dropped,
 * escapes are decoded once (as every server on the way decodes once: `%252e` stays a literal
 * `%2e`), `.` and `..` segments are resolved (never above the root), duplicate and trailing
 * slashes dropped, and letters lower-cased; then `basePath` (BASE_PATH), spelled any way, is
 * removed from the front when the path is under it.
 *
 * For matching only: requests are served and relayed with the path as sent, so an encoded
 * slash a relayed path carries is still seen and refused there.
 * @example canonicalPath('/Portal//METRICS/?x=1', '/portal') === '/metrics'
 */
export function canonicalPath(url: string, basePath = ''): string {
  const path = normalise(pathOf(url));
  if (basePath === '') return path;
  const base = normalise(basePath);
  if (base === '/' || !isAtOrUnder(path, base)) return path;
  return path.slice(base.length) || '/';
}
