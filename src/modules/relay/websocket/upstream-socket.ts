import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { UpstreamError } from '../../../common/errors/app-error';
import type { ApiRoute } from '../../../config/upstreams.config';

/** Largest message relayed either way: ws's own default (100 MiB) would let one message fill memory. */
export const MAX_WEBSOCKET_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Opens the upstream side of a relayed WebSocket at `target` (path and query on the route's
 * origin; `ws:` for an `http:` target, `wss:` for `https:`), offering the browser's subprotocols,
 * with the relay's request headers. Resolves once the upstream answered 101.
 * @throws UpstreamError UPSTREAM_UNAVAILABLE when it refused the upgrade or could not be reached
 */
export function openUpstreamSocket(
  req: IncomingMessage,
  route: ApiRoute,
  target: string,
  headers: Record<string, string | string[]>,
): Promise<WebSocket> {
  const base = route.target;
  const url = `${base.protocol === 'https:' ? 'wss:' : 'ws:'}//${base.host}${target}`;
  const offered = req.headers['sec-websocket-protocol'];
  const protocols = offered
    ? offered
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)
    : undefined;
  return new Promise<WebSocket>((resolve, reject) => {
    const upstream = new WebSocket(url, protocols, {
      headers: headers as Record<string, string>,
      perMessageDeflate: false,
      maxPayload: MAX_WEBSOCKET_MESSAGE_BYTES,
      handshakeTimeout: route.timeoutMs,
      followRedirects: false,
    });
    const fail = (err?: unknown) => {
      upstream.terminate();
      reject(
        new UpstreamError('UPSTREAM_UNAVAILABLE', route.name, undefined, {
          cause: err,
          messageId: 'API_UNAVAILABLE',
        }),
      );
    };
    upstream.once('open', () => resolve(upstream));
    upstream.once('error', fail);
    upstream.once('unexpected-response', (_req, res) => {
      res.resume();
      fail(new Error(`upstream answered ${res.statusCode} to the upgrade`));
    });
  });
}
