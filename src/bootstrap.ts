import { INestApplication, Logger as NestLogger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AuditLog } from './common/audit/audit-log';
import { answerClientError, FrontDoor } from './common/http/front-door';
import { loadAppConfig } from './config/app.config';
import { assertValidEnvironment } from './config/config';
import { securityConfig } from './config/security.config';
import { loadServerConfig } from './config/server.config';
import { LimitedExpressAdapter, watchBodyIdle } from './common/http/http-server';
import { setupDocs } from './modules/docs/docs.setup';
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
 * Puts the relay in front of Express on the raw server: relayed API calls, the hot path, skip
 * Express's router and middleware stack entirely (about a third of a millisecond of CPU per
 * request on small machines). Everything else goes to Nest as usual.
 */
function mountAheadOfExpress(
  app: INestApplication,
  basePath: string,
  bodyIdleTimeoutMs: number,
  frontDoor: FrontDoor,
): void {
  const relay = app.get(RelayHandler);
  const server = app.getHttpServer() as Server;
  const [express] = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('clientError', answerClientError);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    req.url = withoutBasePath(req.url ?? '/', basePath);
    watchBodyIdle(req, res, bodyIdleTimeoutMs);
    if (relay.matches(req.url)) relay.handle(req, res);
    else if (!frontDoor.answered(req, res)) express(req, res);
  });
}

/** ALLOW_INSECURE let weak production settings through: say so loudly, once, at start. */
function warnAboutOverrides(app: INestApplication): void {
  const { overridden } = app.get<ConfigType<typeof securityConfig>>(securityConfig.KEY);
  if (overridden.length === 0) return;
  new NestLogger('Config').warn({
    event: 'insecure_settings_allowed',
    settings: overridden,
    msg: 'ALLOW_INSECURE=true: production is running with settings it would otherwise refuse',
  });
}

/**
 * Creates the gateway application exactly as production runs it. main.ts and the end-to-end
 * tests both call this, so tests exercise the same pipeline (style R4): Nest's own body parser is
 * off (JSON is parsed only under /auth, with its limit), trust proxy comes from TRUST_PROXY, and
 * the OpenAPI document and Swagger UI are mounted (DOCS_ENABLED), and the server's timeouts and
 * header size come from SERVER_*.
 * @throws ConfigError naming every invalid variable.
 */
export async function createApp(): Promise<INestApplication> {
  assertValidEnvironment();
  const cfg = loadAppConfig();
  const limits = loadServerConfig();
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule,
    new LimitedExpressAdapter(limits),
    {
      bodyParser: false,
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  warnAboutOverrides(app);
  app.set('trust proxy', cfg.trustProxy);
  app.disable('x-powered-by');
  setupDocs(app);
  const frontDoor = new FrontDoor(
    cfg.trustProxy,
    cfg.publicOrigin,
    app.get(AuditLog, { strict: false }),
  );
  mountAheadOfExpress(app, cfg.basePath, limits.bodyIdleTimeoutMs, frontDoor);
  return app;
}
