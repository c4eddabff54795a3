import type { Tracer } from '@opentelemetry/api';

/**
 * The tracing the process started (tracing-sdk.ts), or none. Read where a span may begin: the
 * listeners (server spans), the OneAccess transport and the relay (client spans). With tracing
 * off this is null and those places take their untraced path: no AsyncLocalStorage context, no
 * span objects, nothing per request but one null check (CONTRIBUTING.md section 11).
 */
export interface Tracing {
  readonly tracer: Tracer;
  /** Exports what is still batched, then stops: called once, on shutdown. */
  shutdown(): Promise<void>;
}

let current: Tracing | null = null;

export function activeTracing(): Tracing | null {
  return current;
}

/** Set once by startTracing, before the app is created; tests that start their own set it too. */
export function useTracing(tracing: Tracing | null): void {
  current = tracing;
}
