import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** RFC 9110 section 7.6.1 connection-specific headers, never forwarded by a proxy. */
const HOP_BY_HOP = new Set([
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
 * Request headers the browser must never get to the upstream (security.md check 17): our cookie
 * (and every other cookie of our origin), its own Authorization, identity headers that an
 * upstream behind a gateway might trust, forwarding headers we set ourselves, and our CSRF marker.
 */
const NOT_FROM_BROWSER = new Set([
  'host',
  'expect',
  'cookie',
  'authorization',
  'x-csrf',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-prefix',
  'x-forwarded-port',
  'forwarded',
  'x-real-ip',
  'x-forwarded-user',
  'x-forwarded-email',
  'x-forwarded-preferred-username',
  'x-forwarded-groups',
  'x-forwarded-access-token',
  'x-remote-user',
  'x-user',
  'x-user-id',
  'remote-user',
  'x-request-id',
  'x-device-fingerprint',
]);

const NOT_TO_BROWSER = new Set(['set-cookie', 'set-cookie2']);

function connectionListed(value: string | string[] | undefined): Set<string> {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
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

/** The headers the upstream gets: the browser's, cleaned, plus our credential and forwarding facts. */
export function upstreamRequestHeaders(
  headers: IncomingHttpHeaders,
  ctx: ForwardContext,
): Record<string, string | string[]> {
  const listed = connectionListed(headers.connection);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (
      value === undefined ||
      HOP_BY_HOP.has(name) ||
      NOT_FROM_BROWSER.has(name) ||
      listed.has(name)
    )
      continue;
    if (name.startsWith('x-auth-request-')) continue;
    out[name] = value;
  }
  if (ctx.authorization) out.authorization = ctx.authorization;
  out['x-forwarded-for'] = ctx.clientIp;
  out['x-forwarded-proto'] = ctx.publicOrigin.protocol.slice(0, -1);
  out['x-forwarded-host'] = ctx.publicOrigin.host;
  out['x-request-id'] = ctx.requestId;
  return out;
}

/** The upstream's answer headers for the browser: all but cookies and hop-by-hop headers. */
export function browserResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): OutgoingHttpHeaders {
  const listed = connectionListed(headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (
      value === undefined ||
      HOP_BY_HOP.has(lower) ||
      NOT_TO_BROWSER.has(lower) ||
      listed.has(lower)
    )
      continue;
    out[lower] = value;
  }
  return out;
}
