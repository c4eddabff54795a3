// First: tracing must be started before ioredis is loaded (instrument.ts).
import './instrument';
import { INestApplication, Logger } from '@nestjs/common';
import cluster from 'node:cluster';
import { createApp, listenApp } from './bootstrap';
import { activeTracing } from './common/tracing/tracing';
import { loadAppConfig } from './config/app.config';
import { allConfigs, assertValidEnvironment } from './config/config';
import { configSummary } from './config/config-summary';
import { loadUpstreamsConfig } from './config/upstreams.config';
import { runPrimary } from './primary';
import { failStart } from './startup-failure';

/**
 * The start line (CONTRIBUTING.md section 10): where it listens and the effective configuration,
 * secrets masked.
 */
function logStart(app: INestApplication, urls: { main: string; ops?: string }): void {
  const namespaces = Object.fromEntries(
    allConfigs.map((c) => [String(c.KEY).replace(/^CONFIGURATION\((.*)\)$/, '$1'), app.get(c.KEY)]),
  );
  const where = urls.ops ? `${urls.main} (ops ${urls.ops})` : urls.main;
  new Logger('Lifecycle').log(
    { event: 'start', urls, config: configSummary(namespaces) },
    `listening on ${where}`,
  );
}

/** How long a stop waits for the last spans to reach the receiver: a receiver that is down must not hold it. */
const TRACE_FLUSH_MS = 5000;

/** Exports the spans still batched (the last requests'), within TRACE_FLUSH_MS. */
async function flushTraces(): Promise<void> {
  const tracing = activeTracing();
  if (!tracing) return;
  await Promise.race([
    tracing.shutdown(),
    new Promise((resolve) => setTimeout(resolve, TRACE_FLUSH_MS).unref()),
  ]);
}

async function main(): Promise<void> {
  assertValidEnvironment();
  const { workers } = loadAppConfig();
  if (workers > 1 && cluster.isPrimary)
    return runPrimary(workers, loadUpstreamsConfig().maxConcurrentPerSession);
  const app = await createApp();
  logStart(app, await listenApp(app));
  // Not Nest's enableShutdownHooks(): it re-raises the signal after closing, so a clean stop
  // would look like a kill. Close (Redis, connection pools, log flush), then exit 0.
  const stop = (signal: NodeJS.Signals) => {
    new Logger('Lifecycle').log({ event: 'shutdown', signal }, `shutting down (${signal})`);
    app
      .close()
      .then(flushTraces)
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch(failStart);
