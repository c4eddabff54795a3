import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { compileTrust, TrustProxy } from '../../config/trust-proxy';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The one rule that names a request: a well-formed X-Request-Id is kept only when the peer is a
 * trusted proxy (TRUST_PROXY), so logs correlate across hops while a browser cannot choose the id
 * its requests are logged and audited under; otherwise a fresh UUID. The request line writes the
 * id unescaped, which both forms allow. Called once per request, by {@link RequestContexts}.
 */
export function requestIdRule(trust: TrustProxy): (req: IncomingMessage) => string {
  const trusted = compileTrust(trust);
  return (req) => {
    const incoming = req.headers['x-request-id'];
    return typeof incoming === 'string' &&
      INCOMING_ID.test(incoming) &&
      trusted(req.socket.remoteAddress ?? '', 0)
      ? incoming
      : randomUUID();
  };
}

/** An id for an answer given before any request could be read (Node's `clientError`). */
export function unreadRequestId(): string {
  return randomUUID();
}
