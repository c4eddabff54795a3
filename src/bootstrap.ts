import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadAppConfig } from './config/app.config';
import { assertValidEnvironment } from './config/config';
import { setupDocs } from './modules/docs/docs.setup';
import { SessionViewHandler } from './modules/auth/session-view.handler';
import { RelayHandler } from './modules/relay/relay.handler';

/**
 * Strips BASE_PATH so the gateway answers both under the prefix the corporate proxy mounts it at
 * and without it (probes hit the pod directly).
 */
function withoutBasePath(url: string, basePath: string): string {
  if (!basePath) return url;
  if (url === basePath || url.startsWith(`${basePath}/`) || url.startsWith(`${basePath}?`)) {
    return url.slice(basePath.length) || '/';
  }
  return url;
}

/**
 * Puts the relay and the session view in front of Express on the raw server: relayed API calls
 * and session polls, the hot paths, skip Express's router and middleware stack entirely (about a
 * third of a millisecond of CPU per request on small machines). Everything else goes to Nest as
 * usual, and so do the session views the fast path hands back.
 */
function mountAheadOfExpress(app: INestApplication, basePath: string): void {
  const relay = app.get(RelayHandler);
  const sessionView = app.get(SessionViewHandler);
  const server = app.getHttpServer() as Server;
  const [express] = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    req.url = withoutBasePath(req.url ?? '/', basePath);
    if (relay.matches(req.url)) relay.handle(req, res);
    else if (sessionView.matches(req)) sessionView.handle(req, res, () => express(req, res));
    else express(req, res);
  });
}

/**
 * Creates the gateway application exactly as production runs it. main.ts and the end-to-end
 * tests both call this, so tests exercise the same pipeline (style R4): Nest's own body parser is
 * off (JSON is parsed only under /auth, with its limit), trust proxy comes from TRUST_PROXY, and
 * the OpenAPI document and Swagger UI are mounted (DOCS_ENABLED).
 * @throws ConfigError naming every invalid variable.
 */
export async function createApp(): Promise<INestApplication> {
  assertValidEnvironment();
  const cfg = loadAppConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', cfg.trustProxy);
  app.disable('x-powered-by');
  // Every JSON answer is Cache-Control: no-store, so a validator is never used; without it, the
  // Nest routes send the same headers as the fast paths and skip hashing every body.
  app.set('etag', false);
  setupDocs(app);
  mountAheadOfExpress(app, cfg.basePath);
  return app;
}
