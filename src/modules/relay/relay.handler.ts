import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { AuditLog, auditRequestContext } from '../../common/audit/audit-log';
import { AppError, UpstreamError } from '../../common/errors/app-error';
import { toErrorResponse, writeErrorResponse } from '../../common/errors/error-response';
import { clientIpResolver } from '../../common/http/client-ip';
import { requestIdReader } from '../../common/logging/logger.options';
import { RequestLineSink, RequestLineWriter } from '../../common/logging/request-line-writer';
import { csrfViolation } from '../../common/security/csrf';
import { applySecurityHeaders, withSecurityHeaders } from '../../common/security/security-headers';
import { SessionCookieReader } from '../../common/session/session-cookie';
import { appConfig } from '../../config/app.config';
import { ApiRoute, upstreamsConfig } from '../../config/upstreams.config';
import { Metrics } from '../metrics/metrics';
import { CredentialService } from '../tokens/credential.service';
import { TokenRefresher } from '../tokens/token-refresher';
import { browserResponseHeaders, ForwardContext, upstreamRequestHeaders } from './relay-headers';
import { InFlightCounter } from './in-flight';
import { relayPath, routeNameEnd } from './relay-path';
import { RelayPools } from './relay-pools';
import { hasBody, isUndiciTimeout } from '../../common/http/http-facts';

const PREFIX = '/api/';
/** The status label by hundreds, without building a string per request. */
const STATUS_CLASS = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

/** What the access log and metrics need to know about one relayed exchange. */
interface Exchange {
  requestId: string;
  route: string;
}

/**
 * `/api/<name>/**` to the upstreams of API_ROUTES with the user's token attached (docs/api.md
 * section 5). This is the product's hot path, so it runs on the raw Node request ahead of
 * Express: cookie signature check, one Redis GET of the credential record (a write only when
 * activity must be recorded or a token refreshed), a pooled keep-alive connection, and bodies
 * streamed both ways without buffering. Errors use the same contract JSON as everything else.
 */
@Injectable()
export class RelayHandler {
  private readonly logger = new Logger('Relay');
  private readonly requestLine: RequestLineSink;
  private readonly clientIp: (req: IncomingMessage) => string;
  private readonly requestIdOf: (req: IncomingMessage) => string;
  private readonly publicOrigin: URL;
  /** Relayed calls in progress per session (RELAY_MAX_CONCURRENT_PER_SESSION, per process). */
  private readonly inFlight: InFlightCounter;

  constructor(
    private readonly credentials: CredentialService,
    private readonly refresher: TokenRefresher,
    private readonly audit: AuditLog,
    private readonly metrics: Metrics,
    private readonly pools: RelayPools,
    private readonly cookies: SessionCookieReader,
    requestLines: RequestLineWriter,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(upstreamsConfig.KEY) private readonly upstreams: ConfigType<typeof upstreamsConfig>,
  ) {
    this.clientIp = clientIpResolver(app.trustProxy);
    this.requestIdOf = requestIdReader(app.trustProxy);
    this.requestLine = requestLines.for('Relay', 'relay');
    this.publicOrigin = new URL(app.publicOrigin);
    this.inFlight = new InFlightCounter(upstreams.maxConcurrentPerSession);
  }

  /** True for the paths this handler owns. */
  matches(url: string): boolean {
    return url.startsWith(PREFIX) || url === '/api';
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    // The security headers and X-Request-Id go out with the answer's own headers in one
    // writeHead (forward), or with the error (fail).
    const requestId = this.requestIdOf(req);
    const started = performance.now();
    const exchange: Exchange = { requestId, route: 'unknown' };
    this.relay(req, res, exchange).then(
      () => this.finish(req, res, exchange, started),
      (err: unknown) => {
        this.fail(req, res, err, requestId);
        this.finish(req, res, exchange, started);
      },
    );
  }

  /** The metrics and the request line, once the answer is complete (or cut off). */
  private finish(req: IncomingMessage, res: ServerResponse, exchange: Exchange, started: number) {
    const seconds = (performance.now() - started) / 1000;
    this.metrics.relayCalls
      .get(exchange.route, STATUS_CLASS[Math.floor(res.statusCode / 100)] ?? 'other')
      .inc();
    this.metrics.relayTimes.get(exchange.route).observe(seconds);
    this.requestLine({
      request_id: exchange.requestId,
      method: req.method,
      path: (req.url ?? '').split('?')[0],
      status: res.statusCode,
      ms: Math.round(seconds * 1000),
      route: exchange.route,
    });
  }

  private async relay(
    req: IncomingMessage,
    res: ServerResponse,
    exchange: Exchange,
  ): Promise<void> {
    const { requestId } = exchange;
    const url = req.url ?? '';
    const end = routeNameEnd(url, PREFIX.length);
    const route = this.upstreams.routes.get(url.slice(PREFIX.length, end));
    const method = req.method ?? 'GET';
    if (!route) throw new AppError('NOT_FOUND');
    exchange.route = route.name;
    if (csrfViolation(method, req.headers, this.app.publicOrigin)) {
      const rode = this.cookies.sessionId(req.headers.cookie);
      this.audit.record(
        'csrf_rejected',
        { request_id: requestId, route: route.name, method },
        rode ?? undefined,
        { client: this.clientIp(req) },
      );
      throw new AppError('CSRF_REJECTED');
    }
    if (!route.methods.has(method)) throw new AppError('NOT_FOUND');
    const target = relayPath(route.target, url.slice(end), route.basePath);
    if (target === null) throw new AppError('VALIDATION_FAILED', 'The path is not allowed.');

    const sid = this.cookies.sessionId(req.headers.cookie);
    if (!sid) throw new AppError('UNAUTHENTICATED');
    this.takeSlot(sid, res);
    let stored = await this.credentials.get(sid);
    if (!stored) throw new AppError('UNAUTHENTICATED');
    if (this.credentials.hasTimedOut(stored.credential)) {
      await this.credentials.delete(sid);
      this.audit.record('session_expired', { request_id: requestId }, sid, {
        user: stored.credential.user.id,
        client: this.clientIp(req),
      });
      throw new AppError('SESSION_EXPIRED');
    }
    // Asked first so that the common case (nothing to write or refresh) awaits nothing more.
    if (this.credentials.activityDue(stored.credential))
      stored = await this.credentials.recordActivity(sid, stored);

    const clientIp = this.clientIp(req);
    let authorization: string | undefined;
    if (route.token !== 'none') {
      const need = route.token;
      if (this.refresher.needsRefresh(stored.credential, need)) {
        const facts = {
          ip: clientIp,
          userAgent: req.headers['user-agent'],
          acceptLanguage: req.headers['accept-language'],
        };
        const current = stored;
        // Audit lines raised deep inside the refresh name this request too.
        stored = await auditRequestContext.run({ requestId }, () =>
          this.refresher.ensureFresh(sid, current, need, facts),
        );
      }
      const token = stored.credential.tokens[need];
      if (!token)
        throw new AppError('UNAUTHENTICATED', 'This sign-in has no credential for this API.');
      authorization = `Bearer ${token}`;
    }
    await this.forward(req, res, route, target, {
      clientIp,
      publicOrigin: this.publicOrigin,
      requestId,
      authorization,
    });
  }

  /**
   * Counts this call against the session's concurrent calls, released when the response closes
   * (Node emits 'close' on every end: finished, failed or aborted by either side), so a slot
   * cannot leak. Counting happens before any I/O, so even calls stuck on a slow body are counted.
   * @throws AppError RATE_LIMITED beyond RELAY_MAX_CONCURRENT_PER_SESSION.
   */
  private takeSlot(sid: string, res: ServerResponse): void {
    if (!this.inFlight.tryAcquire(sid)) {
      throw new AppError('RATE_LIMITED', 'Too many API calls in progress. Try again shortly.', {
        retryAfterS: 1,
      });
    }
    res.once('close', () => this.inFlight.release(sid));
  }

  private async forward(
    req: IncomingMessage,
    res: ServerResponse,
    route: ApiRoute,
    target: string,
    ctx: ForwardContext,
  ): Promise<void> {
    let upstream: Dispatcher.ResponseData;
    try {
      upstream = await this.pools.for(route.name).request({
        path: target,
        method: req.method as Dispatcher.HttpMethod,
        headers: upstreamRequestHeaders(req.headers, route.forwardHeaders, ctx),
        body: hasBody(req) ? req : null,
        headersTimeout: route.timeoutMs,
        bodyTimeout: route.timeoutMs,
      });
    } catch (err) {
      const timedOut = isUndiciTimeout(err);
      throw new UpstreamError(
        timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE',
        route.name,
        undefined,
        { cause: err },
      );
    }
    res.writeHead(
      upstream.statusCode,
      withSecurityHeaders(browserResponseHeaders(upstream.headers), ctx.requestId),
    );
    // Plain pipe() rather than stream.pipeline(): the latter creates and aborts an
    // AbortController per call, a measurable share of this path. Backpressure is the same.
    const body = upstream.body;
    await new Promise<void>((resolve) => {
      body.once('error', () => {
        // The body broke off midway (upstream stalled past the timeout): the status is already
        // sent, so the only honest signal left is a cut connection.
        res.destroy();
        resolve();
      });
      res.once('close', () => {
        // The browser left (or the answer is complete): stop reading from the upstream.
        if (!body.readableEnded) body.destroy();
        resolve();
      });
      body.pipe(res);
    });
  }

  private fail(req: IncomingMessage, res: ServerResponse, err: unknown, requestId: string): void {
    const response = toErrorResponse(err, requestId);
    if (response.unexpected) this.logger.error({ err, request_id: requestId }, 'relay failed');
    if (!res.headersSent) {
      applySecurityHeaders(res);
      res.setHeader('X-Request-Id', requestId);
    }
    // A refused call whose body is still arriving (429, 401, 400...) would otherwise keep its
    // connection while Node discards the rest: close it once the error is sent.
    if (!req.complete && !res.headersSent) res.setHeader('Connection', 'close');
    writeErrorResponse(res, response);
  }
}
