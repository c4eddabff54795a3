import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createServer, RequestListener, Server } from 'node:http';

/**
 * The ops listener (OPS_PORT): a second HTTP server in front of the same Express application that
 * answers only the ops paths, so probes, metrics and docs never pass through the public proxy
 * (which forwards only PORT). Closed with the application.
 */
@Injectable()
export class OpsServer implements OnApplicationShutdown {
  /** null unless OPS_PORT is set. */
  server: Server | null = null;

  /**
   * Creates the server; `listener` admits only the ops paths (bootstrap.ts). A request without
   * `Host` is the listener's to answer, in the contract's shape, rather than Node's bare 400.
   */
  create(listener: RequestListener): Server {
    this.server = createServer({ requireHostHeader: false }, listener);
    return this.server;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
