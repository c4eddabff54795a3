import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  type ReadableSpan,
  type Sampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { compileTrust } from '../../config/trust-proxy';
import { ServerSpans } from './server-span';

/** The address the "corporate proxy" connects from (TRUST_PROXY); anything else is a browser. */
const PROXY = '10.0.0.5';
const BROWSER = '203.0.113.9';
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const SAMPLED = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;

function req(
  headers: IncomingHttpHeaders = {},
  { peer = BROWSER, method = 'GET' }: { peer?: string; method?: string } = {},
): IncomingMessage {
  return {
    headers,
    method,
    httpVersion: '1.1',
    socket: { remoteAddress: peer },
  } as unknown as IncomingMessage;
}

/**
 * A real SDK tracer (no global registration: ServerSpan passes its contexts explicitly), whose
 * finished spans land in memory.
 */
function sdk(sampler?: Sampler): { tracer: Tracer; exporter: InMemorySpanExporter } {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    ...(sampler ? { sampler } : {}),
  });
  return { tracer: provider.getTracer('server-span.spec'), exporter };
}

type Watched = Record<'setAttributes' | 'setAttribute' | 'end', jest.SpyInstance>;

/** `real`, with each span it starts watched (jest spies) for attribute writes and ends. */
function watched(real: Tracer): { tracer: Tracer; started: Watched[] } {
  const started: Watched[] = [];
  const tracer: Tracer = {
    startSpan: (...args: Parameters<Tracer['startSpan']>) => {
      const span = real.startSpan(...args);
      started.push({
        setAttributes: jest.spyOn(span, 'setAttributes'),
        setAttribute: jest.spyOn(span, 'setAttribute'),
        end: jest.spyOn(span, 'end'),
      });
      return span;
    },
    startActiveSpan: real.startActiveSpan.bind(real),
  };
  return { tracer, started };
}

describe('ServerSpans and ServerSpan', () => {
  let tracer: Tracer;
  let exporter: InMemorySpanExporter;
  let spans: ServerSpans;

  beforeEach(() => {
    ({ tracer, exporter } = sdk());
    spans = new ServerSpans(tracer, compileTrust([PROXY]));
  });

  /** The one span exported so far. */
  function finished(): ReadableSpan {
    const all = exporter.getFinishedSpans();
    expect(all).toHaveLength(1);
    return all[0];
  }

  describe('names', () => {
    it.each([
      ['relay', 'orders', 'GET', 'GET /api/orders/*'],
      ['websocket', 'live', 'GET', 'GET /api/live/*'],
      ['session_view', '/auth/session', 'GET', 'GET /auth/session'],
      ['express', '/auth/login/password', 'POST', 'POST /auth/login/password'],
    ] as const)(
      'should name a %s span by its route template, never the path',
      (kind, route, method, name) => {
        const span = spans.start(req({}, { method }), 'r-1', '/x/123', '/x/123?secret=1')!;
        span.end(200, kind, route);
        const done = finished();
        expect(done.name).toBe(name);
        expect(done.kind).toBe(SpanKind.SERVER);
        expect(done.attributes['http.route']).toBe(name.slice(method.length + 1));
        expect(done.attributes['bff.kind']).toBe(kind);
        // The path is logged as the request line logs it: no query string.
        expect(done.attributes['url.path']).toBe('/x/123');
      },
    );

    it('should name a span by its method only when no route matched (the front door)', () => {
      const span = spans.start(req({}, { method: 'DELETE' }), 'r-1', '/nowhere', '/nowhere')!;
      span.end(404, 'front_door', null);
      const done = finished();
      expect(done.name).toBe('DELETE');
      expect(done.attributes).not.toHaveProperty('http.route');
      expect(done.attributes['http.response.status_code']).toBe(404);
    });

    it("should name an Express span by the route's template when its response closes", () => {
      const request = Object.assign(req({}, { method: 'GET' }), {
        route: { path: '/admin/sessions/:handle' },
      });
      const response = Object.assign(new EventEmitter(), { headersSent: true, statusCode: 204 });
      const span = spans.start(request, 'r-1', '/admin/sessions/abc', '/admin/sessions/abc')!;
      span.express(request, response as unknown as ServerResponse);
      expect(exporter.getFinishedSpans()).toHaveLength(0);
      response.emit('close');
      const done = finished();
      expect(done.name).toBe('GET /admin/sessions/:handle');
      // The session handle is an encrypted session id: masked, as in the request line.
      expect(done.attributes['url.path']).toBe('/admin/sessions/[handle]');
      expect(done.attributes['http.response.status_code']).toBe(204);
    });

    it("should name an Express catch-all route's span by its method only, and log 499 for a browser that left", () => {
      const request = Object.assign(req({}, { method: 'GET' }), {
        route: { path: 'auth/{*path}' },
      });
      const response = Object.assign(new EventEmitter(), { headersSent: false, statusCode: 200 });
      const span = spans.start(request, 'r-1', '/auth/x', '/auth/x')!;
      span.express(request, response as unknown as ServerResponse);
      response.emit('close');
      const done = finished();
      expect(done.name).toBe('GET');
      expect(done.attributes['http.response.status_code']).toBe(499);
    });
  });

  it.each(['/healthz', '/readyz', '/metrics'])('should start no span for the probe %s', (path) => {
    expect(spans.start(req(), 'r-1', path, path)).toBeNull();
    expect(spans.start(req(), 'r-1', '/healthz/x', '/healthz/x')).not.toBeNull();
  });

  describe('an incoming traceparent', () => {
    it("should continue a trusted proxy's trace, the server span a child of the caller's", () => {
      const span = spans.start(req({ traceparent: SAMPLED }, { peer: PROXY }), 'r-1', '/a', '/a')!;
      expect(span.traceId).toBe(CALLER_TRACE);
      span.end(200, 'relay', 'orders');
      expect(finished().parentSpanContext?.spanId).toBe(CALLER_SPAN);
    });

    it("should start a new trace for a browser's traceparent", () => {
      const span = spans.start(req({ traceparent: SAMPLED }), 'r-1', '/a', '/a')!;
      expect(span.traceId).not.toBe(CALLER_TRACE);
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      span.end(200, 'relay', 'orders');
      expect(finished().parentSpanContext).toBeUndefined();
    });

    it("should not let a browser force sampling with a sampled flag, but follow a proxy's", () => {
      const offUnlessParent = sdk(new ParentBasedSampler({ root: new AlwaysOffSampler() }));
      const parentBased = new ServerSpans(offUnlessParent.tracer, compileTrust([PROXY]));
      parentBased.start(req({ traceparent: SAMPLED }), 'r-1', '/a', '/a')!.end(200, 'relay', 'a');
      expect(offUnlessParent.exporter.getFinishedSpans()).toHaveLength(0);
      const fromProxy = req({ traceparent: SAMPLED }, { peer: PROXY });
      parentBased.start(fromProxy, 'r-2', '/a', '/a')!.end(200, 'relay', 'a');
      expect(offUnlessParent.exporter.getFinishedSpans()).toHaveLength(1);
    });

    it('should make client spans children of the server span, in its trace', () => {
      const span = spans.start(req({ traceparent: SAMPLED }, { peer: PROXY }), 'r-1', '/a', '/a')!;
      span.client(tracer, 'GET orders', { 'bff.route': 'orders' }).end();
      span.end(200, 'relay', 'orders');
      const [client, server] = exporter.getFinishedSpans();
      expect(client.kind).toBe(SpanKind.CLIENT);
      expect(client.spanContext().traceId).toBe(CALLER_TRACE);
      expect(client.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    });
  });

  describe('end', () => {
    it('should end once: a second end changes neither the status nor the name', () => {
      const { tracer: watching, started } = watched(tracer);
      const span = new ServerSpans(watching, compileTrust([PROXY])).start(
        req(),
        'r-1',
        '/a',
        '/a',
      )!;
      span.end(200, 'relay', 'orders');
      // A response's close after the fast path's own line, say: the SDK span is not touched again.
      span.end(502, 'express', '/other');
      expect(started[0].end).toHaveBeenCalledTimes(1);
      const done = finished();
      expect(done.name).toBe('GET /api/orders/*');
      expect(done.attributes['http.response.status_code']).toBe(200);
      expect(done.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('should mark a 5xx answer as an error, with the status as error.type', () => {
      const span = spans.start(req(), 'r-1', '/api/orders/1', '/api/orders/1')!;
      span.end(503, 'relay', 'orders');
      const done = finished();
      expect(done.status.code).toBe(SpanStatusCode.ERROR);
      expect(done.attributes['error.type']).toBe('503');
    });

    it("should not mark a 4xx refusal as an error: it is the caller's mistake", () => {
      const span = spans.start(req({}, { method: 'POST' }), 'r-1', '/api/o/1', '/api/o/1')!;
      span.end(403, 'relay', 'o');
      const done = finished();
      expect(done.status.code).toBe(SpanStatusCode.UNSET);
      expect(done.attributes).not.toHaveProperty('error.type');
      expect(done.attributes['http.response.status_code']).toBe(403);
    });
  });

  it('should record the request line fields and nothing of the headers', () => {
    const headers = { cookie: '__Host-bff=s%3Asecret-sid.sig', authorization: 'Bearer tok' };
    const span = spans.start(req(headers), 'r-42', '/api/orders/1', '/api/orders/1?code=abc')!;
    span.end(200, 'relay', 'orders');
    expect(finished().attributes).toEqual({
      'http.request.method': 'GET',
      'url.path': '/api/orders/1',
      'network.protocol.version': '1.1',
      'bff.request_id': 'r-42',
      'http.route': '/api/orders/*',
      'http.response.status_code': 200,
      'bff.kind': 'relay',
    });
  });

  it('should build no attributes for a span sampled out, yet give it a trace id for the log', () => {
    const off = sdk(new AlwaysOffSampler());
    const { tracer: watching, started } = watched(off.tracer);
    const span = new ServerSpans(watching, compileTrust([PROXY])).start(req(), 'r-1', '/a', '/a')!;
    expect(span.span.isRecording()).toBe(false);
    expect(started[0].setAttributes).not.toHaveBeenCalled();
    expect(started[0].setAttribute).not.toHaveBeenCalled();
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.traceId).not.toBe('0'.repeat(32));
    span.end(200, 'relay', 'a');
    expect(off.exporter.getFinishedSpans()).toHaveLength(0);
  });
});
