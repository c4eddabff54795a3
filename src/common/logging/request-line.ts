/** The probes: polled every few seconds by the orchestrator and Prometheus, so logged at debug. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

export type RequestLineLevel = 'error' | 'warn' | 'info' | 'debug';

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

/**
 * The fields of every request line besides `request_id` (bound by the logger): the relay writes
 * them itself, Express through pino-http's customSuccessObject/customErrorObject.
 */
export interface RequestLine {
  method: string | undefined;
  path: string;
  status: number;
  ms: number;
  /** The relay route's name, or the Express route's template; null when nothing matched. */
  route: string | null;
}
