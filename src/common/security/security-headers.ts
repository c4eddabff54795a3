import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/**
 * Headers every response carries (docs/security.md checks 41-43): the one list. The request's
 * context (`RequestContext`) applies them, once, before anything answers. The gateway serves JSON and only its own demo page, so the defaults
 * are the strictest: nothing may frame it, nothing is cached, no referrer leaves it.
 */
export const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cache-Control', 'no-store'],
];

/**
 * Sets the headers and `X-Request-Id` on a response written later by someone else. Called by the
 * request's context only (`RequestContext.applyHeaders`), once per request.
 */
export function setSecurityHeaders(res: ServerResponse, requestId: string): void {
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
  res.setHeader('X-Request-Id', requestId);
}

/**
 * The headers as raw `Name: value` lines, for the one answer written straight to a socket before
 * any request was read (Node's `clientError`, front-door.ts).
 */
export const SECURITY_HEADER_LINES: readonly string[] = SECURITY_HEADERS.map(
  ([name, value]) => `${name}: ${value}`,
);

const DEFAULTS = SECURITY_HEADERS.map(
  ([name, value]) => [name.toLowerCase(), name, value] as const,
);

/**
 * The headers of a relayed answer as one flat list for a single `writeHead`: the upstream's
 * (already filtered, lower-case names), then {@link SECURITY_HEADERS} and `X-Request-Id` where the
 * upstream sent no header of that name, so the upstream's own value wins as it would with
 * `setHeader` first. One `writeHead` of a list skips Node's per-header `setHeader` bookkeeping.
 */
export function withSecurityHeaders(
  upstream: OutgoingHttpHeaders,
  requestId: string,
): OutgoingHttpHeader[] {
  const out: OutgoingHttpHeader[] = [];
  for (const name in upstream) out.push(name, upstream[name]!);
  for (const [lower, name, value] of DEFAULTS)
    if (upstream[lower] === undefined) out.push(name, value);
  if (upstream['x-request-id'] === undefined) out.push('X-Request-Id', requestId);
  return out;
}
