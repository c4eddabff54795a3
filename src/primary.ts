import cluster, { Worker } from 'node:cluster';
import { serveClusterMetrics } from './modules/metrics/cluster-metrics';
import { serveRelaySlots } from './modules/relay/slot-ledger';

/** A worker that dies this soon after starting is failing to start: stop instead of looping. */
const MIN_UPTIME_MS = 5000;

/**
 * Runs `workers` gateway processes on one port (node:cluster): Node's single thread serves one
 * core, and the relay is CPU-bound, so production uses one worker per core. Every shared state
 * (sessions, credentials, locks, rate limits) is in Redis, so workers are interchangeable. A
 * worker that crashes is replaced; SIGTERM/SIGINT drain all workers, then the primary exits.
 * The primary also aggregates the workers' metrics for whichever worker is scraped, and keeps
 * each session's relay share (`relayShare` calls in progress), leased to the workers on demand.
 */
export function runPrimary(workers: number, relayShare: number): void {
  let stopping = false;
  serveClusterMetrics();
  serveRelaySlots(relayShare);
  const started = new Map<number, number>();
  const fork = (): Worker => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
    return worker;
  };
  for (let i = 0; i < workers; i++) fork();

  cluster.on('exit', (worker, code, signal) => {
    const uptime = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}) after ${uptime} ms`);
    if (uptime < MIN_UPTIME_MS) {
      console.error('a worker failed at start-up: stopping');
      process.exit(1);
    }
    fork();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
