import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTracing } from './common/tracing/tracing-sdk';
import { loadAppConfig } from './config/app.config';
import { loadTracingConfig } from './config/tracing.config';

/**
 * Imported first by main.ts, before anything loads ioredis: OpenTelemetry's instrumentations
 * patch a module when it is first required. Starts tracing in each process that serves requests
 * (a worker, or the only process), when OTEL_EXPORTER_OTLP_ENDPOINT or _TRACES_ENDPOINT is set.
 * A configuration this cannot read is left alone here: main.ts refuses it, naming the variable.
 */
function startIfConfigured(): void {
  try {
    const tracing = loadTracingConfig();
    if (!tracing.enabled) return;
    if (cluster.isPrimary && loadAppConfig().workers > 1) return;
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    startTracing(tracing, pkg.version);
  } catch {
    // refused with every other problem by assertValidEnvironment in main.ts
  }
}

startIfConfigured();
