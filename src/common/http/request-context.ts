import type {
  IncomingMessage,
  OutgoingHttpHeader,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import proxyaddr from 'proxy-addr';
import { compileTrust, TrustProxy } from '../../config/trust-proxy';
import type { RequestLineSink } from '../logging/request-line-writer';
import type { Tracer } from '@opentelemetry/api';
import { ServerSpan, ServerSpans } from '../tracing/server-span';
import { csrfViolation } from '../security/csrf';
import { setSecurityHeaders, withSecurityHeaders } from '../security/security-headers';
import { canonicalPath } from './canonical-path';
import { sanitizeForwardedFor } from './client-ip';
import { requestIdRule } from './request-id';

/** Where the context hangs on the request, for the code that only gets the request (Nest). */
const CONTEXT = Symbol('requestContext');

/** The listener-wide rules a context applies: compiled once, shared by every request. */
interface ContextRules {
  readonly idOf: (req: IncomingMessage) => string;
  readonly trusted: (addr: string, hop: number) => boolean;
  readonly publicOrigin: string;
  readonly basePath: string;
}

/**
 * What the gateway knows about one request, worked out once where the server receives it
 * (bootstrap.ts, both listeners) and read by every path that serves it: the relay, the session
 * view, the ops paths, the front door and the Nest app (CONTRIBUTING.md section 11). The id is
 * fixed at once (every answer carries it); the canonical path, the client address and the CSRF
 * verdict are worked out the first time a path asks, then kept, so the relay pays for none it
 * does not read and none twice.
 */
export class RequestContext {
  /** The request id (X-Request-Id, `request_id` in its log and audit lines). */
  readonly id: string;
  /** `performance.now()` when the server received it, for the request line's `ms`. */
  readonly started = performance.now();
  /** The request's server span when tracing is on (docs/api.md section 7); null when off. */
  readonly trace: ServerSpan | null;
  private canonical: string | undefined;
  private ip: string | undefined;
  /** undefined: not judged yet; null: may pass. */
  private csrf: string | null | undefined;
  private headersSet = false;

  constructor(
    private readonly req: IncomingMessage,
    private readonly rules: ContextRules,
    /** The URL as received, BASE_PATH still in it (the canonical path takes it out itself). */
    private readonly received: string,
    spans: ServerSpans | null,
  ) {
    this.id = rules.idOf(req);
    this.trace = spans === null ? null : spans.start(req, this.id, this.path, received);
  }

  /** The request's method, as Node parsed it. */
  get method(): string {
    return this.req.method ?? 'GET';
  }

  /**
   * Whether the request's log lines already carry its id: inside Express, pino-http's request
   * logger (`req.log`, which nestjs-pino binds for the request) writes `request_id` on every line,
   * so a line that named it again would hold the key twice.
   */
  get idInLogBindings(): boolean {
    return (this.req as IncomingMessage & { log?: unknown }).log !== undefined;
  }

  /** The canonical path of the URL as received (`canonicalPath`, BASE_PATH removed). */
  get path(): string {
    return (this.canonical ??= canonicalPath(this.received, this.rules.basePath));
  }

  /**
   * The client address as TRUST_PROXY resolves it, X-Forwarded-For cleaned of what is not an
   * address first (`sanitizeForwardedFor`, which rewrites the header the relay passes on).
   */
  get clientIp(): string {
    if (this.ip === undefined) {
      sanitizeForwardedFor(this.req);
      this.ip = proxyaddr(this.req, this.rules.trusted);
    }
    return this.ip;
  }

  /**
   * Whether the peer is a trusted proxy (TRUST_PROXY): only then do its X-Request-Id and trace
   * context count. The relay passes a trusted proxy's trace context on while tracing is off.
   */
  get fromTrustedProxy(): boolean {
    return this.rules.trusted(this.req.socket.remoteAddress ?? '', 0);
  }

  /** Why the request must be refused as CSRF, or null (`csrfViolation`, docs/api.md section 2). */
  get csrfViolation(): string | null {
    if (this.csrf === undefined)
      this.csrf = csrfViolation(this.method, this.req.headers, this.rules.publicOrigin);
    return this.csrf;
  }

  /**
   * Writes the request's one line (CONTRIBUTING.md section 10) through the writer of the path
   * that answered it (`RequestLineWriter.for(kind)`): the id and method from here, `ms` since the
   * server received it, unless the path measured it already (the relay, for its metric too).
   * With tracing on, it also ends the request's span, and the line carries its trace and span id.
   */
  writeLine(
    sink: RequestLineSink,
    status: number,
    path: string,
    route: string | null,
    ms = Math.round(performance.now() - this.started),
  ): void {
    const trace = this.trace;
    if (trace !== null) trace.end(status, sink.kind, route);
    sink({ request_id: this.id, method: this.req.method, path, status, ms, route, trace });
  }

  /**
   * Hangs the context on its request, for the code that gets only the request (Nest's middleware,
   * guards, filters, pino-http): a symbol property, and `req.id`, where pino-http reads the id.
   * The front door does it for every request bound for Express; the fast paths are handed the
   * context directly and skip the two property writes.
   */
  attach(): void {
    const req = this.req as ContextCarrier;
    req[CONTEXT] = this;
    req.id = this.id;
  }

  /**
   * Sets the security headers and X-Request-Id on a response someone else writes (Express, an
   * error answer). Once: a second call changes nothing, so a page that replaced a policy keeps it.
   */
  applyHeaders(res: ServerResponse): void {
    if (this.headersSet) return;
    this.headersSet = true;
    setSecurityHeaders(res, this.id);
  }

  /**
   * The headers of an answer the fast paths send in one `writeHead`: the answer's own, then the
   * security headers and X-Request-Id where it has none of that name.
   */
  head(own: OutgoingHttpHeaders): OutgoingHttpHeader[] {
    this.headersSet = true;
    return withSecurityHeaders(own, this.id);
  }
}

/** Builds the one context of each request, on the listener that received it. */
export class RequestContexts {
  private readonly rules: ContextRules;
  /** Begins each request's server span; null when tracing is off. */
  private readonly spans: ServerSpans | null;

  constructor(
    trustProxy: TrustProxy,
    publicOrigin: string,
    basePath: string,
    /** The tracer of the tracing in use (activeTracing()), or null when tracing is off. */
    tracer: Tracer | null = null,
  ) {
    this.rules = {
      idOf: requestIdRule(trustProxy),
      trusted: compileTrust(trustProxy),
      publicOrigin,
      basePath,
    };
    // One compiled trust rule for the context's facts and for whose trace context is continued.
    this.spans = tracer && new ServerSpans(tracer, this.rules.trusted);
  }

  /** The request's context, built now: call once, first thing, where the server receives it. */
  open(req: IncomingMessage): RequestContext {
    return new RequestContext(req, this.rules, req.url ?? '/', this.spans);
  }
}

type ContextCarrier = IncomingMessage & { [CONTEXT]?: RequestContext; id?: unknown };

/**
 * The context the listener built for this request. Every request that reaches Express has one
 * (the front door attached it); undefined only for a request object made up outside a server.
 */
export function contextOf(req: IncomingMessage): RequestContext | undefined {
  return (req as ContextCarrier)[CONTEXT];
}

/**
 * The client address of a request (its context's): what rate limits count, audit lines hash
 * and OneAccess receives as the device's address. Without a context (a unit test's request),
 * the socket's address.
 */
export function clientIpOf(req: IncomingMessage): string {
  return contextOf(req)?.clientIp ?? req.socket?.remoteAddress ?? '';
}
