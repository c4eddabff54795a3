import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnModuleDestroy,
} from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { AuditLog } from '../../../common/audit/audit-log';
import { AppError } from '../../../common/errors/app-error';
import { toErrorResponse, writeErrorResponse } from '../../../common/errors/error-response';
import type { RequestContext } from '../../../common/http/request-context';
import { recordCsrfRejected } from '../../../common/audit/request-audit';
import { CLIENT_CLOSED } from '../../../common/logging/request-line';
import { RequestLineSink, RequestLineWriter } from '../../../common/logging/request-line-writer';
import { SECURITY_HEADERS } from '../../../common/security/security-headers';
import { SessionCookieReader } from '../../../common/session/session-cookie';
import { appConfig } from '../../../config/app.config';
import { ApiRoute, upstreamsConfig } from '../../../config/upstreams.config';
import { CredentialService } from '../../tokens/credential.service';
import { SessionEndedBus } from '../../tokens/session-ended-bus';
import { SessionEvents } from '../../tokens/session-events';
import { TokenRefresher } from '../../tokens/token-refresher';
import { Metrics } from '../../metrics/metrics';
import { upstreamRequestHeaders } from '../relay-headers';
import { endUpstreamCall, traceUpstreamCall } from '../relay-trace';
import { activeTracing } from '../../../common/tracing/tracing';
import { routeAuthorization } from '../route-authorization';
import { relayPath, RELAY_PREFIX, routeNameEnd, routeNamed } from '../relay-path';
import { PairClosed, pairSockets, SocketPair } from './socket-pair';
import { SessionSockets } from './session-sockets';
import { MAX_WEBSOCKET_MESSAGE_BYTES, openUpstreamSocket } from './upstream-socket';
import { expiresAt, isWebSocketUpgrade, originViolation, pathOf } from './upgrade-checks';

/** One upgrade on its way: what the 101 and the request lines need. */
interface Upgrade {
  /** The request's context, built where the server received the upgrade (bootstrap.ts). */
  ctx: RequestContext;
  requestId: string;
  route: string | null;
  started: number;
  /** The subprotocol the upstream chose, answered to the browser. */
  protocol?: string;
}

/**
 * Relays WebSockets on routes with `"websocket": true` (docs/api.md section 5). The upgrade is
 * checked like a relayed call (route, path rules, session, token of the route's kind made fresh)
 * plus the Origin, which a browser always sends on a WebSocket and which replaces the X-CSRF
 * header it cannot add. Refusals are the contract's JSON on the raw socket. The `ws` library
 * rather than piping bytes: closing with 4401 toward the browser needs a frame of our own, and
 * that can only be sent between the upstream's frames, which raw piping does not know.
 */
@Injectable()
export class WebSocketRelay implements OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebSocketRelay');
  private readonly requestLine: RequestLineSink;
  private readonly publicOrigin: URL;
  private readonly sockets: SessionSockets;
  private readonly upgrades = new WeakMap<IncomingMessage, Upgrade>();
  private readonly tracer = activeTracing()?.tracer ?? null;
  private readonly server: WebSocketServer;
  private readonly unlisten: Array<() => void>;

  constructor(
    private readonly credentials: CredentialService,
    private readonly refresher: TokenRefresher,
    private readonly audit: AuditLog,
    private readonly cookies: SessionCookieReader,
    private readonly metrics: Metrics,
    events: SessionEvents,
    bus: SessionEndedBus,
    requestLines: RequestLineWriter,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(upstreamsConfig.KEY) private readonly upstreams: ConfigType<typeof upstreamsConfig>,
  ) {
    this.requestLine = requestLines.for('websocket');
    this.publicOrigin = new URL(app.publicOrigin);
    this.sockets = new SessionSockets(credentials, upstreams.maxWebSocketsPerSession);
    this.server = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: MAX_WEBSOCKET_MESSAGE_BYTES,
      clientTracking: false,
      handleProtocols: (_offered, req) => this.upgrades.get(req)?.protocol ?? false,
    });
    // The 101 carries the same security headers and request id as every other answer.
    this.server.on('headers', (headers: string[], req: IncomingMessage) => {
      for (const [name, value] of SECURITY_HEADERS) headers.push(`${name}: ${value}`);
      const upgrade = this.upgrades.get(req);
      if (upgrade) headers.push(`X-Request-Id: ${upgrade.requestId}`);
    });
    this.unlisten = [
      events.onEnded((e) => this.sockets.endSession(e.sid)),
      bus.onResubscribed(() => this.sockets.recheckAll()),
    ];
  }

  onModuleDestroy(): void {
    for (const unlisten of this.unlisten) unlisten();
  }

  /** SIGTERM: the sockets go with 1001 (going away) before the server waits for its connections. */
  beforeApplicationShutdown(): void {
    this.sockets.closeAll(1001, 'server shutting down');
  }

  /** Handles an HTTP upgrade request (the server's 'upgrade' event), with `req.url` without BASE_PATH. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ctx: RequestContext): void {
    const upgrade: Upgrade = {
      ctx,
      requestId: ctx.id,
      route: null,
      started: performance.now(),
    };
    this.upgrades.set(req, upgrade);
    socket.on('error', () => socket.destroy());
    this.open(req, socket, head, upgrade).catch((err: unknown) =>
      this.refuse(req, socket, err, upgrade),
    );
  }

  private async open(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    upgrade: Upgrade,
  ): Promise<void> {
    const { requestId } = upgrade;
    const url = req.url ?? '';
    const end = routeNameEnd(url, RELAY_PREFIX.length);
    const route = routeNamed(this.upstreams.routes, url, end);
    if (!route || !route.websocket || req.method !== 'GET') throw new AppError('NOT_FOUND');
    upgrade.route = route.name;
    if (!isWebSocketUpgrade(req)) throw new AppError('VALIDATION_FAILED');
    const violation = originViolation(req, this.app.publicOrigin);
    if (violation !== null) {
      recordCsrfRejected(
        this.audit,
        upgrade.ctx,
        this.cookies.sessionId(req, upgrade.ctx),
        route.name,
        violation,
      );
      throw new AppError('CSRF_REJECTED');
    }
    const target = relayPath(route.target, url.slice(end), route.basePath);
    if (target === null) throw new AppError('VALIDATION_FAILED', 'PATH_NOT_ALLOWED');
    const sid = this.cookies.sessionId(req, upgrade.ctx);
    if (!sid) throw new AppError('UNAUTHENTICATED');
    const client = upgrade.ctx.clientIp;
    if (!this.sockets.reserve(sid, { requestId, client }))
      throw new AppError('RATE_LIMITED', 'RELAY_BUSY', { retryAfterS: 1 });
    let pair: SocketPair | undefined;
    try {
      const { authorization, endsAt } = await this.authorization(
        req,
        sid,
        route,
        requestId,
        client,
      );
      const headers = upstreamRequestHeaders(req.headers, route.forwardHeaders, {
        clientIp: client,
        publicOrigin: this.publicOrigin,
        requestId,
        authorization,
      });
      // The upgrade's client span covers the upstream's handshake; the socket's life is not a span.
      const span = traceUpstreamCall(this.tracer, upgrade.ctx, req.headers, route, 'GET', headers);
      const upstream = await openUpstreamSocket(req, route, target, headers).catch((err) => {
        if (span) endUpstreamCall(span, undefined, 'unavailable');
        throw err;
      });
      if (span) endUpstreamCall(span, 101);
      upgrade.protocol = upstream.protocol || undefined;
      // The browser may have left meanwhile; ws then drops the socket without calling back.
      const browser = socket.destroyed
        ? null
        : await new Promise<WebSocket | null>((resolve) => {
            socket.once('close', () => resolve(null));
            this.server.handleUpgrade(req, socket, head, resolve);
          });
      if (!browser) {
        upstream.terminate();
        throw new AppError('NOT_FOUND');
      }
      pair = pairSockets(browser, upstream, {
        messagesIn: this.metrics.websocketMessages.get(route.name, 'to_upstream'),
        bytesIn: this.metrics.websocketBytes.get(route.name, 'to_upstream'),
        messagesOut: this.metrics.websocketMessages.get(route.name, 'to_browser'),
        bytesOut: this.metrics.websocketBytes.get(route.name, 'to_browser'),
      });
      // Watched from before the browser can send anything: an ending from now on closes it.
      this.sockets.add(sid, pair, endsAt);
    } finally {
      if (!pair) this.sockets.unreserve(sid);
    }
    upgrade.ctx.writeLine(
      this.requestLine,
      101,
      pathOf(url),
      route.name,
      Math.round(performance.now() - upgrade.started),
    );
    this.metrics.websocketUpgrades.get(route.name, '101').inc();
    const open = this.metrics.websocketsOpen.get(route.name);
    open.inc();
    const opened = pair;
    opened.closed.then(
      (closed) => {
        open.dec();
        this.sockets.remove(sid, opened);
        this.closedLine(route.name, upgrade, closed);
      },
      () => undefined,
    );
  }

  /** Counts a socket's end and writes its close line (duration, code, messages and bytes). */
  private closedLine(route: string, upgrade: Upgrade, closed: PairClosed): void {
    this.metrics.websocketCloses.get(route, closed.by).inc();
    this.logger.log({
      event: 'websocket_closed',
      request_id: upgrade.requestId,
      route,
      code: closed.code,
      by: closed.by,
      ms: Math.round(performance.now() - upgrade.started),
      messages_to_upstream: closed.messagesIn,
      messages_to_browser: closed.messagesOut,
      bytes_to_upstream: closed.bytesIn,
      bytes_to_browser: closed.bytesOut,
    });
  }

  /**
   * The live session's `Bearer <token>` for the route (undefined for token `none`), and when the
   * session ends without activity.
   */
  private async authorization(
    req: IncomingMessage,
    sid: string,
    route: ApiRoute,
    requestId: string,
    client: string,
  ): Promise<{ authorization: string | undefined; endsAt: number }> {
    const read = await this.credentials.get(sid);
    if (!read) throw new AppError('UNAUTHENTICATED');
    const alive = await this.credentials.aliveOrEnd(sid, read, Date.now(), true, {
      requestId,
      client,
    });
    if (!alive) throw new AppError('SESSION_EXPIRED');
    return {
      authorization: await routeAuthorization(
        this.refresher,
        req,
        sid,
        alive,
        route,
        requestId,
        client,
      ),
      endsAt: expiresAt(this.credentials, alive.credential),
    };
  }

  /** The contract's JSON error on the raw socket, with the security headers; then the socket closes. */
  private refuse(req: IncomingMessage, socket: Duplex, err: unknown, upgrade: Upgrade): void {
    const response = toErrorResponse(err, upgrade.requestId, req.headers['accept-language']);
    if (response.unexpected)
      this.logger.error({ err, request_id: upgrade.requestId }, 'websocket upgrade failed');
    const gone = socket.destroyed || !socket.writable;
    // Counted and logged as the relay does a call the browser gave up on.
    const status = gone ? CLIENT_CLOSED : response.status;
    this.metrics.websocketUpgrades.get(upgrade.route ?? 'unknown', String(status)).inc();
    upgrade.ctx.writeLine(
      this.requestLine,
      status,
      pathOf(req.url ?? ''),
      upgrade.route,
      Math.round(performance.now() - upgrade.started),
    );
    if (gone) return void socket.destroy();
    const res = new ServerResponse(req);
    res.assignSocket(socket as Socket);
    res.shouldKeepAlive = false;
    res.on('finish', () => socket.end());
    upgrade.ctx.applyHeaders(res);
    writeErrorResponse(res, response);
  }
}
