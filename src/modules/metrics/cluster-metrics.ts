import cluster from 'node:cluster';
import { AggregatorRegistry, Registry } from 'prom-client';

const SCRAPE_REQUEST = 'bff:scrape-request';
const SCRAPE_ANSWER = 'bff:scrape-answer';
/** Below Prometheus's default scrape timeout (10 s); prom-client gives up on a worker after 5 s. */
const SCRAPE_TIMEOUT_MS = 8000;

interface ScrapeMessage {
  type: string;
  id: number;
  text?: string;
  error?: string;
}

/**
 * Primary side (WORKERS > 1): answers a worker's scrape with the metrics of every worker,
 * aggregated by prom-client's AggregatorRegistry (counters summed, gauges by their aggregator),
 * so whichever worker receives the scrape reports the whole instance.
 */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: ScrapeMessage) => {
    if (message?.type !== SCRAPE_REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: SCRAPE_ANSWER, id: message.id, text }),
      (err: Error) => worker.send({ type: SCRAPE_ANSWER, id: message.id, error: err.message }),
    );
  });
}

let nextId = 0;
const pending = new Map<number, (message: ScrapeMessage) => void>();
let sharing = false;

/**
 * Worker side: lets the primary collect `registry` (prom-client's cluster protocol) and listens
 * for the primary's aggregated answers. Idempotent; does nothing outside a cluster worker.
 */
export function shareWithPrimary(registry: Registry): void {
  if (!cluster.isWorker) return;
  AggregatorRegistry.setRegistries([registry]);
  if (sharing) return;
  sharing = true;
  // Constructing one installs prom-client's worker-side listener.
  new AggregatorRegistry();
  process.on('message', (message: ScrapeMessage) => {
    if (message?.type !== SCRAPE_ANSWER) return;
    pending.get(message.id)?.(message);
  });
}

/** The whole instance's metrics, from a worker: asks the primary to aggregate every worker's. */
export function scrapeCluster(): Promise<string> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error('the primary did not aggregate the metrics in time'));
    }, SCRAPE_TIMEOUT_MS);
    pending.set(id, (message) => {
      clearTimeout(timer);
      pending.delete(id);
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.text ?? '');
    });
    process.send!({ type: SCRAPE_REQUEST, id });
  });
}
