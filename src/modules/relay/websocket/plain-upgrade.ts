import { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Whether an upgrade request asks for a WebSocket (the only upgrade the gateway performs). */
export function asksForWebSocket(req: IncomingMessage): boolean {
  return req.headers.upgrade?.toLowerCase() === 'websocket';
}

/**
 * Serves an upgrade request the gateway does not perform (`Upgrade: h2c` from `curl --http2`, a
 * probe's TLS upgrade) as the plain request it also is, as Node did before the gateway listened
 * for upgrades: a response bound to the raw socket, handed to the server's request handler, and
 * the connection closed after it.
 */
export function serveAsPlainRequest(server: Server, req: IncomingMessage, socket: Duplex): void {
  const res = new ServerResponse(req);
  res.assignSocket(socket as Socket);
  res.shouldKeepAlive = false;
  res.on('finish', () => socket.end());
  socket.on('error', () => socket.destroy());
  server.emit('request', req, res);
}
