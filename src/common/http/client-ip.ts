import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * Drops what a proxy passed on in X-Forwarded-For that is not an IP address, and every entry
 * left of it (they came through it): `<script>` or `unknown` must never become the client
 * address, reach OneAccess as X-device-ip or get a rate-limit bucket of its own. The client is
 * then the nearest address that is one, the socket's at worst. Run once per request, by its
 * context (`RequestContext.clientIp`), which resolves the address after it.
 */
export function sanitizeForwardedFor(req: IncomingMessage): void {
  const header = req.headers['x-forwarded-for'];
  if (header === undefined) return;
  const entries = (Array.isArray(header) ? header.join(',') : header).split(',');
  let first = entries.length;
  while (first > 0 && isIP(entries[first - 1].trim()) !== 0) first--;
  if (first === 0) return;
  const kept = entries.slice(first).map((e) => e.trim());
  if (kept.length > 0) req.headers['x-forwarded-for'] = kept.join(', ');
  else delete req.headers['x-forwarded-for'];
}
