import { percentDecodeOnce } from '../../common/http/canonical-path';

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
const SEMICOLON = 0x3b;
const QUESTION = 0x3f;

/** Where the relay is mounted: `/api/<name>/<rest>` (contract section 5). */
export const RELAY_PREFIX = '/api/';

/**
 * Where the route name of `/api/<name>...` ends in `url` (searched from `from`): at the first `/`
 * or `?`, so that a `/` in the query string stays part of the query (contract section 5).
 */
export function routeNameEnd(url: string, from: number): number {
  for (let i = from; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === SLASH || c === QUESTION) return i;
  }
  return url.length;
}

/**
 * The route `url` names in its plain spelling, `/api/<name>...` with the name ending at `end`
 * (routeNameEnd); undefined for any other spelling, which the caller refuses. The relay and the
 * WebSocket upgrade select routes only through this.
 */
export function routeNamed<R>(
  routes: ReadonlyMap<string, R>,
  url: string,
  end: number,
): R | undefined {
  return url.startsWith(RELAY_PREFIX) ? routes.get(url.slice(RELAY_PREFIX.length, end)) : undefined;
}

/**
 * True when `path` has a segment that is `.` or `..`, also once `;` parameters are removed from
 * it (Tomcat and Spring read `..;` as `..`). Segments end at `/` or `\` (some servers treat both
 * as separators), and a NUL counts as unsafe too.
 */
function hasDotSegment(path: string): boolean {
  let start = 0;
  let end = -1; // where the segment's `;` parameters begin, -1 while none
  for (let i = 0; i <= path.length; i++) {
    const c = i < path.length ? path.charCodeAt(i) : SLASH;
    if (c === 0) return true;
    if (c === SEMICOLON && end < 0) end = i;
    else if (c === SLASH || c === BACKSLASH) {
      const stop = end < 0 ? i : end;
      const n = stop - start;
      if (
        (n === 1 && path.charCodeAt(start) === DOT) ||
        (n === 2 && path.charCodeAt(start) === DOT && path.charCodeAt(start + 1) === DOT)
      )
        return true;
      start = i + 1;
      end = -1;
    }
  }
  return false;
}

/**
 * True when some server on the way could read `path` as climbing: a `.` or `..` segment as sent,
 * after removing `;` parameters, after percent-decoding, or after decoding twice (`%252e%252e`).
 */
export function climbs(path: string): boolean {
  if (hasDotSegment(path)) return true;
  if (path.indexOf('%') < 0) return false;
  const once = percentDecodeOnce(path);
  return hasDotSegment(once) || hasDotSegment(percentDecodeOnce(once));
}

/** The target's path without trailing slashes: what relayed paths are appended to. */
export function routeBasePath(target: URL): string {
  return target.pathname.replace(/\/+$/, '');
}

/**
 * Where `/api/<name><rest>` goes: `<target path><rest>` on the target's origin, query kept, or
 * null when `rest` tries to leave the target (docs/security.md check 36): dot segments in any of the
 * readings of `climbs`, encoded slashes or backslashes, raw backslashes, NUL, malformed
 * percent-encoding, or anything that would resolve to another origin or outside the base path.
 * `base` is `routeBasePath(target)`, computed once per route by the caller.
 */
export function relayTarget(target: URL, rest: string, base = routeBasePath(target)): URL | null {
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? '' : rest.slice(q);
  if (path !== '' && !path.startsWith('/')) return null;
  if (path.indexOf('%') >= 0) {
    if (/%2f|%5c|%00/i.test(path)) return null;
    try {
      decodeURIComponent(path);
    } catch {
      return null;
    }
  }
  if (path.indexOf('\\') >= 0 || climbs(path)) return null;
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

/**
 * Path and query characters that URL parsing keeps exactly as they are (RFC 3986 `pchar` and `/`;
 * for the query also `?`, `;` and `%`, but not `'`, which http's query encoding escapes). `%` and
 * `;` in the path need {@link relayTarget}'s full checks.
 */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9\-._~!$&'()*+,=:@]*)*$/;
const PLAIN_QUERY = /^[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*$/;

/**
 * {@link relayTarget} as the request target the upstream gets (`<path><?query>`), the form the
 * relay sends. A path and query of plain characters (nearly every API call) need no URL
 * parsing, since it would leave them unchanged: only the dot-segment check applies. Everything
 * else takes the full route through relayTarget, so both always agree (relay-path.spec.ts).
 */
export function relayPath(target: URL, rest: string, base = routeBasePath(target)): string | null {
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? '' : rest.slice(q + 1);
  if (PLAIN_PATH.test(path) && PLAIN_QUERY.test(query) && !hasDotSegment(path))
    return (`${base}${path}` || '/') + (query === '' ? '' : `?${query}`);
  const url = relayTarget(target, rest, base);
  return url && url.pathname + url.search;
}
