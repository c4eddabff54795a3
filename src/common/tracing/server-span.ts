import {
  Attributes,
  context,
  Context,
  createContextKey,
  ROOT_CONTEXT,
  Span,
  SpanKind,
  SpanStatusCode,
  trace,
  Tracer,
} from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { expressRoute, loggedPath } from '../logging/logged-path';
import { CLIENT_CLOSED, PROBE_PATHS, RequestKind } from '../logging/request-line';
import { incomingTraceContext } from './trace-headers';

/**
 * Where a sampled-out request's span hangs in the context: beside the active span, not as it, so
 * that instrumentations make nothing under it (the Redis one needs an active parent), while calls
 * made for the request still send its trace id on (`requestSpan`).
 */
const SAMPLED_OUT = createContextKey('oneaccess-bff sampled-out request span');

/**
 * The span of the request being served, sampled or not, in `ctx` (the active context by default):
 * the parent of a call made on its behalf, and the ids of a line written for it.
 */
export function requestSpan(ctx: Context = context.active()): Span | undefined {
  return trace.getSpan(ctx) ?? (ctx.getValue(SAMPLED_OUT) as Span | undefined);
}

/**
 * `ctx` with the request's span as the parent of a span started in it, sampled or not: a call
 * made for a sampled-out request is then sampled out too (parent-based), not a new root.
 */
export function underRequest(ctx: Context = context.active()): Context {
  const span = requestSpan(ctx);
  return span === undefined ? ctx : trace.setSpan(ctx, span);
}

/** Where the relay's routes live: a relayed call's span is named by its route, never its path. */
const API_PREFIX = '/api/';

/**
 * The route template a request's span is named by (CONTRIBUTING.md section 10): the relay route's
 * name in its `/api/<name>/*` pattern, the session view's path, or the Express route's template.
 * Null when nothing matched: the span is then named by its method only, as the semantic
 * conventions ask, so a scanner's random paths do not each become a span name.
 */
function templateOf(kind: RequestKind, route: string | null): string | null {
  if (route === null) return null;
  return kind === 'relay' || kind === 'websocket' ? `${API_PREFIX}${route}/*` : route;
}

/**
 * The server span of one request: begun where the listener received it (RequestContexts.open),
 * ended once with the status and route of the path that answered (RequestContext.writeLine, or
 * the Express response's close). Its attributes are what the request line logs and nothing more:
 * method, logged path, status, route, request id. No header, query string, cookie or body.
 */
export class ServerSpan {
  /** The request's trace context: the server span, under the trusted caller's span if any. */
  readonly context: Context;
  private ended = false;

  constructor(
    readonly span: Span,
    parent: Context,
    private readonly method: string,
  ) {
    // Sampled out (most requests at a low ratio), nothing under the request records: each Redis
    // command would still cost a span object and a context switch for nothing.
    this.context = span.isRecording()
      ? trace.setSpan(parent, span)
      : ROOT_CONTEXT.setValue(SAMPLED_OUT, span);
  }

  get traceId(): string {
    return this.span.spanContext().traceId;
  }

  get spanId(): string {
    return this.span.spanContext().spanId;
  }

  /**
   * Runs the request's handling with its span active, so OneAccess calls and Redis commands made
   * on its behalf, however deep in Nest, become its children: the context follows promises and
   * timers (AsyncLocalStorage), which is all the fast paths need.
   */
  run<A extends unknown[]>(fn: (...args: A) => void, ...args: A): void {
    context.with(this.context, fn, undefined, ...args);
  }

  /**
   * For a request Express serves: its event listeners run in the span's context (a body parser
   * resumes in an `end` listener, which would otherwise run in the socket's), and the span ends
   * when the response closes, with the status its request line logs (499 when the browser left
   * first) and the Express route's template.
   */
  express(req: IncomingMessage, res: ServerResponse): void {
    context.bind(this.context, req);
    context.bind(this.context, res);
    res.once('close', () =>
      this.end(res.headersSent ? res.statusCode : CLIENT_CLOSED, 'express', expressRoute(req)),
    );
  }

  /** A child span for a call made on the request's behalf (OneAccess, the relay's upstream). */
  client(tracer: Tracer, name: string, attributes: Attributes | undefined): Span {
    return tracer.startSpan(
      name,
      { kind: SpanKind.CLIENT, attributes },
      underRequest(this.context),
    );
  }

  /** Ends the span, once: the status and, when a route matched, the name by its template. */
  end(status: number, kind: RequestKind, route: string | null): void {
    if (this.ended) return;
    this.ended = true;
    const template = templateOf(kind, route);
    if (template !== null) {
      this.span.updateName(`${this.method} ${template}`);
      this.span.setAttribute('http.route', template);
    }
    this.span.setAttribute('http.response.status_code', status);
    this.span.setAttribute('bff.kind', kind);
    if (status >= 500) {
      this.span.setAttribute('error.type', String(status));
      this.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    this.span.end();
  }
}

/**
 * Begins the server span of each traced request. An incoming `traceparent` is continued only from
 * a trusted proxy (TRUST_PROXY, the rule X-Request-Id follows): a browser cannot place its
 * requests in a trace of its choosing, nor force them sampled.
 */
export class ServerSpans {
  constructor(
    private readonly tracer: Tracer,
    private readonly trusted: (addr: string, hop: number) => boolean,
  ) {}

  /**
   * The request's span, or null for the probes: polled every few seconds by the orchestrator and
   * Prometheus, they would bury the traces worth reading (their request lines are debug too).
   */
  start(req: IncomingMessage, requestId: string, canonicalPath: string, received: string) {
    if (PROBE_PATHS.has(canonicalPath)) return null;
    const parent =
      req.headers.traceparent !== undefined && this.trusted(req.socket.remoteAddress ?? '', 0)
        ? incomingTraceContext(req.headers)
        : ROOT_CONTEXT;
    const method = req.method ?? 'GET';
    const span = this.tracer.startSpan(method, { kind: SpanKind.SERVER }, parent);
    // A span sampled out records nothing: its attributes are not worth building.
    if (span.isRecording())
      span.setAttributes({
        'http.request.method': method,
        'url.path': loggedPath(received),
        'network.protocol.version': req.httpVersion,
        'bff.request_id': requestId,
      });
    return new ServerSpan(span, parent, method);
  }
}
