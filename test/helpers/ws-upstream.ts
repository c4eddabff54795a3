import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import WebSocket, { WebSocketServer } from 'ws';

/** One WebSocket as it reached the upstream: the handshake it saw and how it ended. */
export interface UpstreamSocket {
  url: string;
  headers: IncomingHttpHeaders;
  protocol: string;
  socket: WebSocket;
  /** The close code the upstream received, once closed. */
  closedWith?: number;
}

/**
 * A WebSocket backend behind the relay, on a free loopback port: it records every handshake
 * (also plain HTTP requests, which must never arrive), picks the first offered subprotocol, and
 * echoes every message back unchanged (text as text, binary as binary).
 */
export class WsUpstream {
  readonly sockets: UpstreamSocket[] = [];
  readonly httpRequests: string[] = [];
  /** The next upgrade is answered 403 instead of 101. */
  refuseNext = false;
  private server?: Server;
  private wss?: WebSocketServer;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.httpRequests.push(req.url ?? '');
      res.end('not a websocket');
    });
    this.wss = new WebSocketServer({
      server: this.server,
      perMessageDeflate: false,
      verifyClient: (_info, done) => {
        const refuse = this.refuseNext;
        this.refuseNext = false;
        done(!refuse, 403);
      },
      handleProtocols: (offered) => [...offered][0] ?? false,
    });
    this.wss.on('connection', (socket, req) => {
      const seen: UpstreamSocket = {
        url: req.url ?? '',
        headers: req.headers,
        protocol: socket.protocol,
        socket,
      };
      this.sockets.push(seen);
      socket.on('message', (data: Buffer, isBinary) => socket.send(data, { binary: isBinary }));
      socket.on('close', (code) => {
        seen.closedWith = code;
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.socket.terminate();
    this.wss?.close();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
