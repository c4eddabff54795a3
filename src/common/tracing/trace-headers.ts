import {
  Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  Span,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * W3C Trace Context only, used directly rather than through a global propagator: which incoming
 * headers count depends on who sent them (a trusted proxy's, never a browser's, docs/api.md
 * section 7), and the headers an outgoing call gets are the gateway's own client span's.
 */
const w3c = new W3CTraceContextPropagator();

/** The trace context a trusted peer sent (`traceparent`, `tracestate`), or the root: a new trace. */
export function incomingTraceContext(headers: IncomingHttpHeaders): Context {
  return w3c.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

/** Sets `traceparent` (and `tracestate`) on an outgoing call's headers, naming `span` as parent. */
export function injectTraceHeaders(span: Span, headers: Record<string, string | string[]>): void {
  w3c.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
}
