import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ServerConfig } from '../../config/server.config';
import { hasBody } from './http-facts';

/**
 * How often Node checks the headers and request timeouts. Its default (30 s) lets a request
 * overrun its deadline by that much (a 300 s timeout cut a slow upload at 315 s); a pass over
 * the open connections once a second is cheap.
 */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/**
 * Nest's Express adapter with the server limits of SERVER_* applied where Node only accepts them:
 * `maxHeaderSize`, the checking interval and `requireHostHeader` exist only as options of
 * `createServer`.
 */
export class LimitedExpressAdapter extends ExpressAdapter {
  constructor(private readonly limits: ServerConfig) {
    super();
  }

  override initHttpServer(): void {
    const server = createServer(
      {
        headersTimeout: this.limits.headersTimeoutMs,
        requestTimeout: this.limits.requestTimeoutMs,
        maxHeaderSize: this.limits.maxHeaderSize,
        connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
        // The front door refuses a request without Host itself, with the contract's JSON 400.
        requireHostHeader: false,
      },
      this.getInstance<RequestListener>(),
    );
    server.keepAliveTimeout = this.limits.keepAliveTimeoutMs;
    this.httpServer = server;
  }
}

/**
 * Cuts the connection of a request whose body sends nothing for `idleMs` (SERVER_BODY_IDLE_TIMEOUT_MS):
 * the socket's inactivity timeout runs while the body is being received, and Node destroys a
 * socket that times out when nobody handles it. Once the body is complete the timeout is lifted,
 * unless the response has already finished and Node has put its keep-alive timeout in its place.
 */
export function watchBodyIdle(req: IncomingMessage, res: ServerResponse, idleMs: number): void {
  if (!hasBody(req)) return;
  const socket = req.socket;
  socket.setTimeout(idleMs);
  req.once('end', () => {
    if (!res.writableFinished) socket.setTimeout(0);
  });
}
