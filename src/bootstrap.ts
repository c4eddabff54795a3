import { INestApplication, Logger as NestLogger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AuditLog } from './common/audit/audit-log';
import { ForwardedHeaderCheck } from './common/http/forwarded-check';
import { answerClientError, FrontDoor } from './common/http/front-door';
import { RequestContext, RequestContexts } from './common/http/request-context';
import { activeTracing } from './common/tracing/tracing';
import { NestLineLogger } from './common/logging/nest-logger';
import { RequestLineWriter } from './common/logging/request-line-writer';
import { SessionCookieReader } from './common/session/session-cookie';
import { AppConfig, appConfig, loadAppConfig } from './config/app.config';
import { assertValidEnvironment } from './config/config';
import { securityConfig } from './config/security.config';
import { loadServerConfig } from './config/server.config';
import { LimitedExpressAdapter, watchBodyIdle } from './common/http/http-server';
import { setupDocs } from './modules/docs/docs.setup';
import { SessionViewHandler } from './modules/auth/session-view.handler';
import { listenOn } from './modules/ops/listen';
import { isOpsPath } from './modules/ops/ops-paths';
import { OpsServer } from './modules/ops/ops-server';
import { RelayHandler } from './modules/relay/relay.handler';
import { WebSocketRelay } from './modules/relay/websocket/websocket-relay';
import { asksForWebSocket, serveAsPlainRequest } from './modules/relay/websocket/plain-upgrade';

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
 * usual, and so do the session views the fast path hands back. Whichever path serves it, a
 * request's context (request id, canonical path, client address, CSRF verdict, headers) is built
 * here, once, first thing, on the listener that received it (CONTRIBUTING.md section 11).
 */
function mountAheadOfExpress(
  app: INestApplication,
  cfg: AppConfig,
  bodyIdleTimeoutMs: number,
  frontDoor: FrontDoor,
): void {
  const relay = app.get(RelayHandler);
  const sessionView = app.get(SessionViewHandler);
  const contexts = new RequestContexts(
    cfg.trustProxy,
    cfg.publicOrigin,
    cfg.basePath,
    activeTracing()?.tracer ?? null,
  );
  const server = app.getHttpServer() as Server;
  const [express] = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  // The front door gives every request bound for Express its headers, and answers what Express
  // would answer without them (malformed paths, `OPTIONS *`).
  const behindFrontDoor = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => {
    if (frontDoor.answered(req, res, ctx)) return;
    // Express's request line is pino-http's; the span ends when the response does. Express's body
    // parsing resumes in the request's event listeners: they are bound to the span's context.
    if (ctx.trace !== null) ctx.trace.express(req, res);
    express(req, res);
  };
  // Guards match the canonical path of the URL as received (ctx.path: BASE_PATH in any spelling
  // removed); Express gets the URL as sent, without the prefix.
  const rewrite = (url: string) => withoutBasePath(url, cfg.basePath);
  // With OPS_PORT, the probes, metrics and docs answer only there: a 404 here.
  const opsElsewhere = cfg.ops !== null;
  if (opsElsewhere)
    app.get(OpsServer).create((req, res) => {
      const ctx = contexts.open(req);
      if (frontDoor.refusedWithoutHost(req, res, ctx)) return;
      req.url = rewrite(req.url ?? '/');
      if (isOpsPath(ctx.path)) behindFrontDoor(req, res, ctx);
      else frontDoor.notFound(req, res, ctx);
    });
  const forwarded = new ForwardedHeaderCheck(cfg.trustProxy);
  server.on('clientError', answerClientError);
  const webSockets = app.get(WebSocketRelay);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!asksForWebSocket(req)) return serveAsPlainRequest(server, req, socket);
    const ctx = contexts.open(req);
    req.url = rewrite(req.url ?? '/');
    if (ctx.trace === null) webSockets.upgrade(req, socket, head, ctx);
    else ctx.trace.run(() => webSockets.upgrade(req, socket, head, ctx));
  });
  const serve = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => {
    if (frontDoor.refusedWithoutHost(req, res, ctx)) return;
    forwarded.inspect(req);
    req.url = rewrite(req.url ?? '/');
    watchBodyIdle(req, res, bodyIdleTimeoutMs);
    // The hot paths match their plain spellings first, without canonicalising.
    if (relay.matches(req.url)) return relay.handle(req, res, ctx);
    if (sessionView.matches(req))
      return sessionView.handle(req, res, ctx, () => behindFrontDoor(req, res, ctx));
    // Any other spelling of /api is the relay's too (it refuses it): never Express's.
    if (relay.owns(ctx.path)) relay.handle(req, res, ctx);
    else if (opsElsewhere && isOpsPath(ctx.path)) frontDoor.notFound(req, res, ctx);
    else behindFrontDoor(req, res, ctx);
  };
  // With tracing on, the request is served inside its span's context (docs/api.md section 7);
  // off, nothing is wrapped: the hot paths keep clear of AsyncLocalStorage.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const ctx = contexts.open(req);
    if (ctx.trace === null) serve(req, res, ctx);
    else ctx.trace.run(serve, req, res, ctx);
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
 * tests both call this, so tests exercise the same pipeline (CONTRIBUTING.md section 4): Nest's
 * own body parser is off (JSON is parsed only under /auth, with its limit), trust proxy comes
 * from TRUST_PROXY, and
 * the OpenAPI document and Swagger UI are mounted (DOCS_ENABLED), the server's timeouts and header
 * size come from SERVER_*, and with OPS_PORT the ops listener is created (it listens in
 * {@link listenApp}).
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
      // Nest's own console logger stays silent: its lines reach pino once useLogger() is called,
      // and a failed start is not printed as a colour stack trace but rethrown, for main.ts to
      // say why in one line after the logs so far (startup-failure.ts).
      logger: false,
      abortOnError: false,
    },
  );
  app.useLogger(new NestLineLogger(app.get(Logger)));
  warnAboutOverrides(app);
  app.set('trust proxy', cfg.trustProxy);
  app.disable('x-powered-by');
  // Every JSON answer is Cache-Control: no-store, so a validator is never used; without it, the
  // Nest routes send the same headers as the fast paths and skip hashing every body.
  app.set('etag', false);
  setupDocs(app);
  const cookies = app.get(SessionCookieReader, { strict: false });
  const frontDoor = new FrontDoor(
    app.get(AuditLog, { strict: false }),
    app.get(RequestLineWriter, { strict: false }).for('front_door'),
    (req) => cookies.sessionId(req),
  );
  mountAheadOfExpress(app, cfg, limits.bodyIdleTimeoutMs, frontDoor);
  return app;
}

/**
 * Binds the main port (and the ops listener with OPS_PORT) and returns their URLs. Binds the
 * servers itself rather than through app.listen(), so a port in use is one ListenError line.
 * @throws ListenError
 */
export async function listenApp(app: INestApplication): Promise<{ main: string; ops?: string }> {
  const cfg = app.get<AppConfig>(appConfig.KEY);
  await app.init();
  app.flushLogs();
  const main = await listenOn(app.getHttpServer() as Server, 'PORT', cfg.port, cfg.host);
  const ops = app.get(OpsServer).server;
  if (!cfg.ops || !ops) return { main: `${main}${cfg.basePath}` };
  return {
    main: `${main}${cfg.basePath}`,
    ops: await listenOn(ops, 'OPS_PORT', cfg.ops.port, cfg.ops.host),
  };
}
