import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { HOP_BY_HOP } from '../../config/relay-header-names';

const NOT_TO_BROWSER = new Set(['set-cookie', 'set-cookie2']);
const ACCESS_CONTROL = 'access-control-';

/**
 * Header names a `Connection` header declares hop-by-hop, or null when it names none beyond the
 * usual `keep-alive` / `close` (the common case, answered without allocating).
 */
function connectionListed(value: string | string[] | undefined): Set<string> | null {
  if (value === undefined || value === 'keep-alive' || value === 'close') return null;
  const text = Array.isArray(value) ? value.join(',') : value;
  return new Set(
    text
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
}

export interface ForwardContext {
  clientIp: string;
  publicOrigin: URL;
  requestId: string;
  /** `Bearer <token>`, or undefined for routes with token `none`. */
  authorization?: string;
}

/**
 * The headers the upstream gets: those of the browser's that the route allows (`allowed`, lower
 * case, fixed at start: defaults plus the route's `forward_headers`), plus our credential and the
 * forwarding facts. An allow-list, so a header nobody thought of never reaches an upstream.
 */
export function upstreamRequestHeaders(
  headers: IncomingHttpHeaders,
  allowed: ReadonlySet<string>,
  ctx: ForwardContext,
): Record<string, string | string[]> {
  const listed = connectionListed(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    if (!allowed.has(name) || (listed !== null && listed.has(name))) continue;
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  if (ctx.authorization) out.authorization = ctx.authorization;
  out['x-forwarded-for'] = ctx.clientIp;
  out['x-forwarded-proto'] = ctx.publicOrigin.protocol.slice(0, -1);
  out['x-forwarded-host'] = ctx.publicOrigin.host;
  out['x-request-id'] = ctx.requestId;
  return out;
}

/**
 * The upstream's answer headers for the browser: all but cookies, hop-by-hop headers and CORS
 * (`Access-Control-*`: the gateway sends no CORS headers, contract section 2, and an upstream's
 * `Allow-Origin: *` with credentials must not reach the browser).
 */
export function browserResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): OutgoingHttpHeaders {
  const listed = connectionListed(headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    const lower = name.toLowerCase();
    if (
      value === undefined ||
      HOP_BY_HOP.has(lower) ||
      NOT_TO_BROWSER.has(lower) ||
      lower.startsWith(ACCESS_CONTROL) ||
      (listed !== null && listed.has(lower))
    )
      continue;
    out[lower] = value;
  }
  return out;
}
