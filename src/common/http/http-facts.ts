import type { IncomingMessage } from 'node:http';

/** Whether a request carries a body (a non-zero length, or a chunked one). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The raw value of one cookie in a Cookie header (still URL-encoded), or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const UNDICI_TIMEOUTS = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * An undici failure that was a timeout, told by `err.code`, not instanceof (CONTRIBUTING.md
 * section 6).
 */
export function isUndiciTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && UNDICI_TIMEOUTS.has(code);
}
