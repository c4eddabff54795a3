import { Span, SpanStatusCode, Tracer } from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestContext } from '../../common/http/request-context';
import { serverAddress } from '../../common/tracing/server-address';
import { injectTraceHeaders } from '../../common/tracing/trace-headers';
import type { ApiRoute } from '../../config/upstreams.config';

/**
 * The trace context a relayed call carries to its upstream (docs/api.md section 7). With tracing
 * on: a client span, child of the request's, named by method and route (never the path), whose
 * `traceparent` the upstream receives. Off: a trusted proxy's `traceparent` and `tracestate` pass
 * through unchanged, so the proxy's trace still reaches the backend; a browser's never do (no
 * route may forward them, relay-header-names.ts).
 * @returns the client span to end with the call, or undefined.
 */
export function traceUpstreamCall(
  tracer: Tracer | null,
  ctx: RequestContext,
  incoming: IncomingHttpHeaders,
  route: ApiRoute,
  method: string,
  outgoing: Record<string, string | string[]>,
): Span | undefined {
  const trace = ctx.trace;
  if (trace !== null && tracer !== null) {
    // Under a request sampled out (the parent-based samplers), the call's span records nothing.
    const span = trace.client(
      tracer,
      `${method} ${route.name}`,
      trace.span.isRecording()
        ? {
            'http.request.method': method,
            ...serverAddress(route.target),
            'bff.route': route.name,
          }
        : undefined,
    );
    injectTraceHeaders(span, outgoing);
    return span;
  }
  const parent = incoming.traceparent;
  if (parent !== undefined && ctx.fromTrustedProxy) {
    outgoing.traceparent = parent;
    if (incoming.tracestate !== undefined) outgoing.tracestate = incoming.tracestate;
  }
  return undefined;
}

/** Ends a relayed call's client span: the upstream's status, or why there was none. */
export function endUpstreamCall(span: Span, status: number | undefined, failure?: string): void {
  if (status !== undefined) span.setAttribute('http.response.status_code', status);
  if (failure !== undefined) span.setAttribute('error.type', failure);
  if (failure !== undefined || (status !== undefined && status >= 500))
    span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
