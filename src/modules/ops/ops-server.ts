import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createServer, RequestListener, Server } from 'node:http';
import { answerNotFound, isOpsPath } from './ops-paths';

/**
 * The ops listener (OPS_PORT): a second HTTP server in front of the same Express application that
 * answers only the ops paths, so probes, metrics and docs never pass through the public proxy
 * (which forwards only PORT). Closed with the application.
 */
@Injectable()
export class OpsServer implements OnApplicationShutdown {
  /** null unless OPS_PORT is set. */
  server: Server | null = null;

  /** Creates the server; `rewrite` applies the main port's URL handling (BASE_PATH). */
  create(express: RequestListener, rewrite: (url: string) => string): Server {
    this.server = createServer((req, res) => {
      req.url = rewrite(req.url ?? '/');
      if (isOpsPath(req.url)) express(req, res);
      else answerNotFound(req, res);
    });
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
