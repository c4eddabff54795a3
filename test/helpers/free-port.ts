import { createServer } from 'node:net';

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A URL where nothing listens, for "the upstream is down" cases. A port from `freePort()` is free only
 * for a moment: a suite running beside this one can be handed it and answer. Port 1 is privileged and
 * never handed out for port 0, so no test server can take it.
 */
export const CLOSED_ORIGIN = 'http://127.0.0.1:1';
