import cluster, { Worker } from 'node:cluster';
import { StartupLine, writeStartupLine } from './common/logging/startup-line';
import { startupLogFormat } from './config/logging.config';
import { serveClusterMetrics } from './modules/metrics/cluster-metrics';
import { serveRelaySlots } from './modules/relay/slot-ledger';
import { startFailureOf } from './startup-failure';

/** A worker that dies this soon after starting is failing to start: stop instead of looping. */
const MIN_UPTIME_MS = 5000;

/**
 * Runs `workers` gateway processes on one port (node:cluster): Node's single thread serves one
 * core, and the relay is CPU-bound, so production uses one worker per core. Every shared state
 * (sessions, credentials, locks, rate limits) is in Redis, so workers are interchangeable. A
 * worker that crashes is replaced; SIGTERM/SIGINT drain all workers, then the primary exits.
 * The primary also aggregates the workers' metrics for whichever worker is scraped, and keeps
 * each session's relay share (`relayShare` calls in progress), leased to the workers on demand.
 * A worker that cannot start sends its reason here: the primary stops the others and, once they
 * are gone, says it once, as the last line, and exits 1.
 */
export function runPrimary(workers: number, relayShare: number): void {
  const format = startupLogFormat();
  let stopping = false;
  /** Set when a worker failed at start-up: what the primary says last. */
  let failure: StartupLine | undefined;
  serveClusterMetrics();
  serveRelaySlots(relayShare);
  const started = new Map<number, number>();
  const fork = (): Worker => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
    return worker;
  };
  for (let i = 0; i < workers; i++) fork();

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };

  cluster.on('message', (_worker, message) => {
    failure ??= startFailureOf(message);
  });

  cluster.on('exit', (worker, code, signal) => {
    const uptime = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    if (!stopping && uptime < MIN_UPTIME_MS) {
      failure ??= {
        level: 'fatal',
        event: 'worker_start_failed',
        msg: `worker ${worker.process.pid} exited (${signal ?? code}) ${uptime} ms after it started: stopping`,
      };
      stop('SIGTERM');
    }
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length > 0) return;
      if (failure) writeStartupLine(format, failure);
      process.exit(failure ? 1 : 0);
    }
    writeStartupLine(format, {
      level: 'error',
      event: 'worker_exited',
      msg: `worker ${worker.process.pid} exited (${signal ?? code}) after ${uptime} ms: replacing it`,
    });
    fork();
  });

  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
