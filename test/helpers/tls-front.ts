import { request } from 'node:http';
import { createServer, Server } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * TLS ended in front of a plain-http server, as a TLS proxy does: every request is passed to
 * `target` and its answer returned over https with `cert`. The target is not told, so URLs it
 * builds from its own address stay `http://`.
 */
export class TlsFront {
  url = '';
  private server?: Server;

  async start(cert: { cert: string; key: string }, target: string): Promise<this> {
    const to = new URL(target);
    const server = createServer(cert, (req, res) => {
      const up = request(
        {
          host: to.hostname,
          port: to.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: to.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
