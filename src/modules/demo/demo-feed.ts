import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { createServer, Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { demoConfig } from '../../config/demo.config';
import { DEFAULT_ROUTE_MAX_CONNECTIONS, DEFAULT_ROUTE_TIMEOUT_MS } from '../../config/api-routes';
import { upstreamsConfig } from '../../config/upstreams.config';
import { DEFAULT_FORWARDED_HEADERS } from '../../config/relay-header-names';

/** The route the demo's live view opens (`/api/live/feed`). */
export const DEMO_FEED_ROUTE = 'live';
/** How often the feed pushes a message. */
const PUSH_EVERY_MS = 3000;

/**
 * A tiny WebSocket API for the demo page in development, started inside the gateway's process as
 * the embedded simulator is: it pushes a numbered message every few seconds to each socket, and is
 * registered as the `live` route (`"websocket": true`) unless API_ROUTES names one already. Only
 * where the demo runs without production settings; a production process never starts it.
 */
@Injectable()
export class DemoFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('DemoFeed');
  private server?: Server;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(demoConfig.KEY) private readonly demo: ConfigType<typeof demoConfig>,
    @Inject(upstreamsConfig.KEY) private readonly upstreams: ConfigType<typeof upstreamsConfig>,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.demo.embeddedFeed || this.upstreams.routes.has(DEMO_FEED_ROUTE)) return;
    const server = (this.server = createServer((_req, res) => res.writeHead(426).end()));
    const sockets = new WebSocketServer({ server, perMessageDeflate: false });
    let n = 0;
    this.timer = setInterval(() => {
      n++;
      const message = JSON.stringify({ n, at: new Date().toISOString() });
      for (const socket of sockets.clients) socket.send(message);
    }, PUSH_EVERY_MS);
    this.timer.unref();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const target = new URL(`http://127.0.0.1:${port}`);
    this.upstreams.routes.set(DEMO_FEED_ROUTE, {
      name: DEMO_FEED_ROUTE,
      target,
      basePath: '',
      token: 'id_token',
      // WebSocket only: plain calls to it answer 404 (it has no connection pool of the relay).
      methods: new Set<string>(),
      timeoutMs: DEFAULT_ROUTE_TIMEOUT_MS,
      maxConnections: DEFAULT_ROUTE_MAX_CONNECTIONS,
      forwardHeaders: new Set(DEFAULT_FORWARDED_HEADERS),
      websocket: true,
    });
    this.logger.warn(
      `the demo's live feed is at ${target.href} as /api/${DEMO_FEED_ROUTE} (development only)`,
    );
  }

  onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    const server = this.server;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
