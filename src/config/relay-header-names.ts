/**
 * Which browser request headers the relay may forward (contract section 5). Shared by the start-up
 * check of API_ROUTES `forward_headers` and by the relay itself, so both apply one rule. It lives in
 * src/config, the lowest layer, so the check can read it (CONTRIBUTING.md section 2).
 */

/** RFC 9110 section 7.6.1 connection-specific headers, never forwarded by a proxy. */
export const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Forwarded on every route: content negotiation, the body's type, length and coding, caching
 * validators and range. `X-Request-Id` is always sent too, set by the gateway (the browser's own
 * value only when it is well-formed).
 */
export const DEFAULT_FORWARDED_HEADERS: readonly string[] = [
  'accept',
  'accept-charset',
  'accept-encoding',
  'accept-language',
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'cache-control',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'if-range',
  'range',
];

/**
 * Identity, routing, method-override and credential headers: an upstream behind a gateway may
 * trust them, so no route may forward them (docs/security.md check 17), whatever it lists.
 */
const NEVER_FORWARDED = new Set([
  'host',
  'expect',
  'cookie',
  'authorization',
  'x-csrf',
  'x-request-id',
  'forwarded',
  'via',
  'x-real-ip',
  'true-client-ip',
  'x-client-ip',
  'client-ip',
  'x-cluster-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
  'x-remote-ip',
  'x-remote-addr',
  'x-originating-ip',
  'x-device-ip',
  'x-host',
  'x-rewrite-url',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
  'x-userinfo',
  'x-user',
  'x-user-id',
  'x-remote-user',
  'remote-user',
  'x-access-token',
  'x-id-token',
  'x-device-fingerprint',
]);

/**
 * W3C Trace Context: the gateway's own (docs/api.md section 7). A trusted proxy's trace is
 * continued, a browser's never; a route forwarding the browser's would let it choose the trace
 * (and the sampling) the upstream joins.
 */
export const TRACE_CONTEXT_HEADERS: ReadonlySet<string> = new Set(['traceparent', 'tracestate']);

/** Whole families: `x-forwarded-*` (ours to set), `x-original-*` (URL, host, forwarded-for) and kin. */
const NEVER_FORWARDED_PREFIXES = [
  'x-forwarded-',
  'x-original-',
  'x-auth-',
  'x-authenticated-',
  'x-envoy-',
  'proxy-',
];

/** True for a header name (lower case) that no route may forward. */
export function neverForwarded(name: string): boolean {
  if (NEVER_FORWARDED.has(name) || HOP_BY_HOP.has(name) || TRACE_CONTEXT_HEADERS.has(name))
    return true;
  for (const prefix of NEVER_FORWARDED_PREFIXES) if (name.startsWith(prefix)) return true;
  return false;
}
