import type { IncomingMessage } from 'node:http';
import { csrfViolation } from '../../../common/security/csrf';
import { CredentialService } from '../../tokens/credential.service';

/**
 * Why a WebSocket upgrade must be refused as cross-site, or null. The relay's CSRF rule with the
 * Origin in place of X-CSRF, which a browser cannot set on a WebSocket: every browser sends
 * Origin on one, so a missing Origin is refused too.
 */
export function originViolation(req: IncomingMessage, publicOrigin: string): string | null {
  if (req.headers.origin === undefined) return 'missing Origin';
  // Checked as a state-changing call (a socket sends whatever it likes once open), with the
  // header the browser could not send counted as present.
  return csrfViolation('POST', { ...req.headers, 'x-csrf': '1' }, publicOrigin);
}

/**
 * A key as RFC 6455 section 4.1 makes it (16 bytes, base64): what `ws` accepts. Checked before
 * the upstream side opens, because `ws` answers a bad one with its own 400 and never completes.
 */
const WEBSOCKET_KEY = /^[+/0-9A-Za-z]{22}==$/;

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (
    req.headers.upgrade?.toLowerCase() === 'websocket' &&
    req.headers['sec-websocket-version'] === '13' &&
    WEBSOCKET_KEY.test(req.headers['sec-websocket-key'] ?? '')
  );
}

export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export function expiresAt(
  credentials: CredentialService,
  c: Parameters<CredentialService['expiry']>[0],
) {
  const { idle, absolute } = credentials.expiry(c);
  return Math.min(idle, absolute);
}
