import { diag, DiagLogger, DiagLogLevel } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { withoutCredentials } from '../../config/secrets';
import { DEFAULT_SERVICE_NAME, TracingConfig } from '../../config/tracing.config';
import { Tracing, useTracing } from './tracing';

/** A problem the SDK reports (an export refused, a receiver down) is written at most this often. */
const DIAG_EVERY_MS = 60_000;

/**
 * The SDK's own complaints as one JSON line on stderr, shaped like the log lines, at most once a
 * minute: a receiver that is down must be visible without flooding the log. Credentials are cut
 * from what it says (an endpoint URL may carry them); it never sees a span's content.
 */
function diagnostics(): DiagLogger {
  let last = 0;
  const write =
    (level: number) =>
    (message: string, ...args: unknown[]) => {
      const now = Date.now();
      if (now - last < DIAG_EVERY_MS) return;
      last = now;
      const detail = args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
      const line = {
        level,
        time: new Date(now).toISOString(),
        pid: process.pid,
        hostname: hostname(),
        context: 'Tracing',
        event: 'tracing_problem',
        msg: withoutCredentials(`${message} ${detail}`.trim()).slice(0, 500),
      };
      writeSync(2, `${JSON.stringify(line)}\n`);
    };
  const quiet = () => undefined;
  return { error: write(50), warn: write(40), info: quiet, debug: quiet, verbose: quiet };
}

/**
 * Starts OpenTelemetry tracing in this process, before the app (and ioredis) is loaded:
 * instrumentations patch modules as they are first required (src/instrument.ts). The exporter,
 * the batch span processor and the sampler read the standard OTEL_* variables themselves, which
 * tracing.config.ts has checked; the resource is `service.name` oneaccess-bff unless
 * OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES say otherwise.
 *
 * Redis commands are spans, children of the request's span, named by the command alone: the
 * statement serializer drops the arguments, which hold session ids and credential records.
 * Commands outside a request (the token refresher's loop, the session-ended bus) make no spans.
 */
export function startTracing(cfg: TracingConfig, version: string): Tracing {
  diag.setLogger(diagnostics(), DiagLogLevel.WARN);
  const resource = defaultResource()
    .merge(
      resourceFromAttributes({
        'service.name': DEFAULT_SERVICE_NAME,
        'service.version': version,
        'host.name': hostname(),
        // Which worker: with WORKERS above 1 each exports its own spans.
        'process.pid': process.pid,
      }),
    )
    .merge(detectResources({ detectors: [envDetector] }));
  const exporter = cfg.protocol === 'http/json' ? new JsonExporter() : new ProtobufExporter();
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  // The AsyncLocalStorage context manager, and no global propagator: the gateway decides itself
  // whose trace headers count (trace-headers.ts).
  provider.register({ propagator: null });
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new IORedisInstrumentation({
        requireParentSpan: true,
        dbStatementSerializer: (command) => command,
      }),
    ],
  });
  const tracing: Tracing = {
    tracer: provider.getTracer('oneaccess-bff', version),
    shutdown: () => provider.shutdown(),
  };
  useTracing(tracing);
  return tracing;
}
