import { createServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolveOptions, type RunningSimulator, type SimulatorOptions } from './config/options';
import { keysFor } from './crypto/rsa-keys';
import { prepareForeignKey } from './sessions/id-token-issuer';
import { handleRequest, type PendingTimers } from './http/request-pipeline';
import { Router } from './http/router';
import { registerAccountRoutes } from './routes/account.routes';
import { registerCaptchaRoutes } from './routes/captcha.routes';
import { registerControlRoutes } from './routes/control.routes';
import { registerLoginRoutes } from './routes/login.routes';
import { registerOAuthRoutes } from './routes/oauth.routes';
import { registerSsoRoutes } from './routes/sso.routes';
import { registerSystemRoutes } from './routes/system.routes';
import { registerTenantRoutes } from './routes/tenant.routes';
import { loadSeed } from './seed/load-seed';
import { SimulatorCore } from './simulator-core';

/**
 * Starts a OneAccess simulator on node:http.
 *
 * @param options - see {@link SimulatorOptions}; everything has a default (port 0 = a free port).
 * @returns the base URL, the client credentials and `close()`.
 * @throws Error for invalid options or seed data, or when the port cannot be bound.
 */
export async function startSimulator(
  options: Partial<SimulatorOptions> = {},
): Promise<RunningSimulator> {
  const resolved = resolveOptions(options);
  const seed = loadSeed(resolved.seed);
  if (
    resolved.oauthAuthorize === 'auto' &&
    !seed.users.some((u) => u.user_name === resolved.oauthAutoUser)
  ) {
    throw new Error(
      `Invalid simulator options: oauthAutoUser ${resolved.oauthAutoUser} is not a seed user`,
    );
  }
  const keys = await keysFor(resolved.clientId);
  if (resolved.oauthIdTokenFault === 'foreign-key') await prepareForeignKey();
  const router = buildRouter();
  const timers: PendingTimers = new Set();
  // The request handler reads `core` before it is assigned (it needs the listening port), and
  // answers 503 until then; `const` would put it in the temporal dead zone instead.
  // eslint-disable-next-line prefer-const -- assigned once, but read by the handler beforehand
  let core: SimulatorCore | undefined;

  const handler: RequestListener = (req, res) => {
    if (!core) {
      res.writeHead(503).end();
      return;
    }
    handleRequest(req, res, core, router, timers).catch((err: unknown) => {
      resolved.logger?.(`simulator error: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
  const server = resolved.tls ? createHttpsServer(resolved.tls, handler) : createServer(handler);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `${resolved.tls ? 'https' : 'http'}://${urlHost(resolved.host)}:${port}`;
  core = new SimulatorCore(resolved, seed, keys, url);

  return {
    url,
    port,
    clientId: resolved.clientId,
    clientSecret: resolved.clientSecret,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((err) => {
          if (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(err);
          else resolve();
        });
        // Keep-alive sockets would hold close() open for seconds otherwise.
        server.closeAllConnections();
      }),
  };
}

function buildRouter(): Router {
  const router = new Router();
  registerSystemRoutes(router);
  registerCaptchaRoutes(router);
  registerLoginRoutes(router);
  registerAccountRoutes(router);
  registerSsoRoutes(router);
  registerTenantRoutes(router);
  registerOAuthRoutes(router);
  registerControlRoutes(router);
  return router;
}

/** A host usable in a URL: wildcard addresses become loopback, IPv6 literals get brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
