/** The probes: polled every few seconds by the orchestrator and Prometheus, so logged at debug. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

export type RequestLineLevel = 'error' | 'warn' | 'info' | 'debug';

/** The `msg` of every request line, whichever path wrote it. */
export const REQUEST_LINE_MSG = 'request completed';

/** The `event` of every request line: one filter finds them all. */
export const REQUEST_EVENT = 'request';

/**
 * Which path served the request (the `kind` of its line): the relay (`/api/**`), the session
 * view's fast path (`GET /auth/session`), a relayed WebSocket's upgrade, the front door's own
 * refusals (no Host header, a target no route can take, a path the listener does not serve), or
 * Express (everything else: /auth, /admin, ops, demo).
 */
export type RequestKind = 'relay' | 'websocket' | 'session_view' | 'front_door' | 'express';

/** The status logged (and counted) for a request the browser gave up on before any answer (nginx's code). */
export const CLIENT_CLOSED = 499;

/**
 * The level of a request line, whichever path wrote it (CONTRIBUTING.md section 10): probes at
 * debug, 5xx at error, 4xx refusals at warn, the rest at info.
 */
export function requestLineLevel(status: number, path: string): RequestLineLevel {
  if (PROBE_PATHS.has(path)) return 'debug';
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  return 'info';
}

/** The keys of every request line, in the order every path writes them (README "Operations"). */
export const REQUEST_LINE_KEYS: readonly string[] = [
  'level',
  'time',
  'pid',
  'hostname',
  'request_id',
  'event',
  'kind',
  'method',
  'path',
  'status',
  'ms',
  'route',
  'msg',
];

/** With tracing on, every request line and audit line also carries these two, before `msg`. */
export const TRACE_KEYS: readonly string[] = ['trace_id', 'span_id'];

/**
 * The fields of every request line besides `request_id` (bound by the logger), `event` and `kind`:
 * the fast paths write them with RequestLineWriter, Express through pino-http's
 * customSuccessObject/customErrorObject, in the order of REQUEST_LINE_KEYS.
 */
export interface RequestLine {
  method: string | undefined;
  path: string;
  status: number;
  ms: number;
  /** The relay route's name, or the Express route's template; null when nothing matched. */
  route: string | null;
  /** With tracing on, the request's span: the line's `trace_id` and `span_id`. */
  trace?: TraceIds | null;
}

/** What a log line needs of a span to name it (`trace_id`, `span_id`, docs/api.md section 7). */
export interface TraceIds {
  readonly traceId: string;
  readonly spanId: string;
}
