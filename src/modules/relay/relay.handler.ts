import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError, UpstreamError } from '../../common/errors/app-error';
import { toErrorResponse, writeErrorResponse } from '../../common/errors/error-response';
import { recordCsrfRejected } from '../../common/audit/request-audit';
import type { RequestContext } from '../../common/http/request-context';
import { CLIENT_CLOSED } from '../../common/logging/request-line';
import { RequestLineSink, RequestLineWriter } from '../../common/logging/request-line-writer';
import { SessionCookieReader } from '../../common/session/session-cookie';
import { appConfig } from '../../config/app.config';
import { ApiRoute, upstreamsConfig } from '../../config/upstreams.config';
import { Metrics } from '../metrics/metrics';
import { CredentialService, EndingRequest } from '../tokens/credential.service';
import { TokenRefresher } from '../tokens/token-refresher';
import { browserResponseHeaders, ForwardContext, upstreamRequestHeaders } from './relay-headers';
import { relayPath, RELAY_PREFIX, routeNameEnd, routeNamed } from './relay-path';
import { RelayPools } from './relay-pools';
import { Admission, RelayAdmission } from './relay-admission';
import { UpstreamAbort } from './upstream-abort';
import { routeAuthorization } from './route-authorization';
import { hasBody, isUndiciTimeout } from '../../common/http/http-facts';
import { activeTracing } from '../../common/tracing/tracing';
import type { Span } from '@opentelemetry/api';
import { endUpstreamCall, traceUpstreamCall } from './relay-trace';

/** One relayed exchange: what its end must release, count and log. */
interface Exchange extends Admission, EndingRequest {
  /** The request's context: its id, client address and CSRF verdict (bootstrap.ts built it). */
  ctx: RequestContext;
  requestId: string;
  /** The route's name; null until one matched (logged as null, counted as `unknown`). */
  route: string | null;
  started: number;
  /** Aborts the upstream request (and frees its connection) when the browser leaves. */
  abort?: UpstreamAbort;
  /** The upstream's answer body, while it streams to the browser. */
  body?: Readable;
  /** With tracing on, the call to the upstream's client span, and the status it answered. */
  span?: Span;
  upstreamStatus?: number;
}

/**
 * `/api/<name>/**` to the upstreams of API_ROUTES with the user's token attached (docs/api.md
 * section 5). This is the product's hot path, so it runs on the raw Node request ahead of
 * Express: cookie signature check, one Redis GET of the credential record (a write only when
 * activity must be recorded or a token refreshed), a pooled keep-alive connection, and bodies
 * streamed both ways without buffering. Errors use the same contract JSON as everything else.
 */
@Injectable()
export class RelayHandler implements OnModuleDestroy {
  private readonly logger = new Logger('Relay');
  private readonly requestLine: RequestLineSink;
  private readonly publicOrigin: URL;
  /** Each session's share of calls in progress, and its queue beyond. */
  private readonly admission: RelayAdmission;
  private readonly tracer = activeTracing()?.tracer ?? null;

  constructor(
    private readonly credentials: CredentialService,
    private readonly refresher: TokenRefresher,
    private readonly audit: AuditLog,
    private readonly metrics: Metrics,
    private readonly pools: RelayPools,
    private readonly cookies: SessionCookieReader,
    requestLines: RequestLineWriter,
    @Inject(appConfig.KEY) app: ConfigType<typeof appConfig>,
    @Inject(upstreamsConfig.KEY) private readonly upstreams: ConfigType<typeof upstreamsConfig>,
  ) {
    this.requestLine = requestLines.for('relay');
    this.publicOrigin = new URL(app.publicOrigin);
    this.admission = new RelayAdmission(
      {
        share: upstreams.maxConcurrentPerSession,
        queue: upstreams.queuePerSession,
        waitMs: upstreams.queueWaitMs,
      },
      metrics,
    );
  }

  onModuleDestroy(): void {
    this.admission.close();
  }

  /** True for the paths this handler serves: `/api/...` as sent, in its plain spelling. */
  matches(url: string): boolean {
    return url.startsWith(RELAY_PREFIX) || url === '/api';
  }

  /**
   * True for every other spelling of an /api path (`/API/orders`, `//api/orders`, `/%61pi/orders`),
   * by its canonical path: the relay answers them (404, as no route has such a name) so that no
   * spelling of /api ever reaches another handler.
   */
  owns(canonicalPath: string): boolean {
    return canonicalPath === '/api' || canonicalPath.startsWith(RELAY_PREFIX);
  }

  handle(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    // The security headers and X-Request-Id go out with the answer's own headers in one
    // writeHead (forward), or with the error (fail), both from the request's context.
    const requestId = ctx.id;
    const exchange: Exchange = { ctx, requestId, route: null, started: ctx.started };
    // Node emits 'close' once on every end of a response: complete, failed, or cut off by either
    // side. One listener does all the ending, so nothing (a slot, an upstream body) can leak.
    res.once('close', () => this.end(req, res, exchange));
    this.relay(req, res, exchange).catch((err: unknown) => this.fail(req, res, err, ctx));
  }

  /** Releases what the call held, and counts and logs it. */
  private end(req: IncomingMessage, res: ServerResponse, exchange: Exchange): void {
    this.admission.release(exchange);
    // The browser left before the answer was complete: stop the upstream request, which gives
    // its connection back to the route's pool at once, whether it still waits for a connection,
    // for the upstream's headers, or streams a body nobody will read.
    if (!res.writableFinished) {
      exchange.abort?.abort();
      if (exchange.body !== undefined && !exchange.body.readableEnded) exchange.body.destroy();
    }
    if (exchange.span !== undefined)
      endUpstreamCall(
        exchange.span,
        exchange.upstreamStatus,
        res.writableFinished ? undefined : 'client_closed',
      );
    const status = res.headersSent ? res.statusCode : CLIENT_CLOSED;
    const seconds = (performance.now() - exchange.started) / 1000;
    const label = exchange.route ?? 'unknown';
    this.metrics.relayRequests.get(label, String(status)).inc();
    this.metrics.relayDuration.get(label).observe(seconds);
    const url = req.url ?? '';
    const query = url.indexOf('?');
    exchange.ctx.writeLine(
      this.requestLine,
      status,
      query < 0 ? url : url.slice(0, query),
      exchange.route,
      Math.round(seconds * 1000),
    );
  }

  private async relay(
    req: IncomingMessage,
    res: ServerResponse,
    exchange: Exchange,
  ): Promise<void> {
    const { requestId, ctx } = exchange;
    const url = req.url ?? '';
    const end = routeNameEnd(url, RELAY_PREFIX.length);
    // Routes are selected by their plain spelling only (see owns).
    const route = routeNamed(this.upstreams.routes, url, end);
    const method = req.method ?? 'GET';
    if (!route) throw new AppError('NOT_FOUND');
    exchange.route = route.name;
    if (ctx.csrfViolation) {
      recordCsrfRejected(this.audit, ctx, this.cookies.sessionId(req, ctx), route.name);
      throw new AppError('CSRF_REJECTED');
    }
    if (!route.methods.has(method)) throw new AppError('NOT_FOUND');
    const target = relayPath(route.target, url.slice(end), route.basePath);
    if (target === null) throw new AppError('VALIDATION_FAILED', 'PATH_NOT_ALLOWED');

    const sid = this.cookies.sessionId(req, ctx);
    if (!sid) throw new AppError('UNAUTHENTICATED');
    // Counted before any I/O, so even calls stuck on a slow body hold their session's share.
    if (!this.admission.tryAdmit(sid, exchange) && !(await this.admission.queue(sid, exchange)))
      return;
    const read = await this.credentials.get(sid);
    if (!read) throw new AppError('UNAUTHENTICATED');
    const clientIp = (exchange.client = ctx.clientIp);
    // A promise only when a write is due or the session ends: the common case awaits nothing more.
    let alive = this.credentials.aliveOrEnd(sid, read, Date.now(), true, exchange);
    if (alive instanceof Promise) alive = await alive;
    if (!alive) throw new AppError('SESSION_EXPIRED');
    let authorization = routeAuthorization(
      this.refresher,
      req,
      sid,
      alive,
      route,
      requestId,
      clientIp,
    );
    if (authorization instanceof Promise) authorization = await authorization;
    await this.forward(req, res, route, target, exchange, {
      clientIp,
      publicOrigin: this.publicOrigin,
      requestId,
      authorization,
    });
  }

  private async forward(
    req: IncomingMessage,
    res: ServerResponse,
    route: ApiRoute,
    target: string,
    exchange: Exchange,
    ctx: ForwardContext,
  ): Promise<void> {
    let upstream: Dispatcher.ResponseData;
    // The browser may have left during the token work: nothing to forward.
    if (res.destroyed) return;
    const abort = (exchange.abort = new UpstreamAbort());
    const method = req.method as Dispatcher.HttpMethod;
    const headers = upstreamRequestHeaders(req.headers, route.forwardHeaders, ctx);
    const span = traceUpstreamCall(this.tracer, exchange.ctx, req.headers, route, method, headers);
    if (span !== undefined) exchange.span = span;
    try {
      upstream = await this.pools.for(route.name).request({
        signal: abort,
        path: target,
        method,
        headers,
        body: hasBody(req) ? req : null,
        headersTimeout: route.timeoutMs,
        bodyTimeout: route.timeoutMs,
      });
    } catch (err) {
      // Aborted by end(): the browser left, and its 499 is already counted and logged.
      if (abort.aborted) return;
      const timedOut = isUndiciTimeout(err);
      if (exchange.span !== undefined) {
        endUpstreamCall(exchange.span, undefined, timedOut ? 'timeout' : 'unavailable');
        exchange.span = undefined;
      }
      // The relay's target, not OneAccess: the codes' own messages name the identity service.
      throw new UpstreamError(
        timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE',
        route.name,
        undefined,
        { cause: err, messageId: timedOut ? 'API_TIMEOUT' : 'API_UNAVAILABLE' },
      );
    }
    const body = upstream.body;
    if (exchange.span !== undefined) exchange.upstreamStatus = upstream.statusCode;
    // Always listened to: destroying an unfinished body (below, and in end()) emits an abort
    // error, which unheard would take the process down. When the body broke off midway
    // (upstream stalled past the timeout) the status is already sent, so the only honest signal
    // left is a cut connection.
    body.on('error', () => res.destroy());
    // The browser left while the upstream was answering: nobody will read this body.
    if (res.destroyed) {
      body.destroy();
      return;
    }
    res.writeHead(upstream.statusCode, exchange.ctx.head(browserResponseHeaders(upstream.headers)));
    exchange.body = body;
    // Plain pipe() rather than stream.pipeline(): the latter creates and aborts an
    // AbortController per call, a measurable share of this path. Backpressure is the same.
    body.pipe(res);
  }

  private fail(req: IncomingMessage, res: ServerResponse, err: unknown, ctx: RequestContext): void {
    const response = toErrorResponse(err, ctx.id, req.headers['accept-language']);
    if (response.unexpected) this.logger.error({ err, request_id: ctx.id }, 'relay failed');
    if (!res.headersSent) ctx.applyHeaders(res);
    // A refused call whose body is still arriving (429, 401, 400...) would otherwise keep its
    // connection while Node discards the rest: close it once the error is sent.
    if (!req.complete && !res.headersSent) res.setHeader('Connection', 'close');
    writeErrorResponse(res, response);
  }
}
