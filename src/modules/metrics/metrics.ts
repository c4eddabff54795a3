import { Injectable, OnModuleDestroy } from '@nestjs/common';
import cluster from 'node:cluster';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { scrapeCluster, shareWithPrimary } from './cluster-metrics';
import { LabelledChildren } from './labelled-children';

/** The signed-in sessions count, read from the session store (cached by the reader). */
export type SessionCounter = () => Promise<number>;

/**
 * The gateway's Prometheus metrics, in a registry of its own (not prom-client's global one, so
 * several app instances in one process, as in tests, never collide). With WORKERS > 1 a scrape
 * reports the whole instance: the worker that receives it asks the primary, which aggregates
 * every worker's registry (cluster-metrics.ts). Label children of the busier metrics are bound
 * once per label set (LabelledChildren), so counting builds no label object per request.
 */
@Injectable()
export class Metrics implements OnModuleDestroy {
  readonly registry = new Registry();

  readonly relayRequests = new Counter({
    name: 'bff_relay_requests_total',
    help: 'Relayed API calls by route and HTTP status code (499: the browser left first).',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  readonly relayDuration = new Histogram({
    name: 'bff_relay_duration_seconds',
    help: 'Time until the relayed call ended (answer streamed, refused or cut off), by route.',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** `relayCalls.get(route, '200').inc()`: the relay's children, bound once per label set. */
  readonly relayCalls = new LabelledChildren(this.relayRequests);
  /** `relayTimes.get(route).observe(seconds)` */
  readonly relayTimes = new LabelledChildren(this.relayDuration);

  readonly logins = new Counter({
    name: 'bff_logins_total',
    help: 'Login attempts by method and outcome (success, step, failure).',
    labelNames: ['method', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly refreshes = new Counter({
    name: 'bff_token_refreshes_total',
    help: 'Token refreshes by kind and outcome (ok, refused, failed).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly authRequestsTotal = new Counter({
    name: 'bff_auth_requests_total',
    help: 'Requests to /auth by route template and HTTP status code.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  /** `authRequests.get(route, status).inc()` */
  readonly authRequests = new LabelledChildren(this.authRequestsTotal);

  private readonly oneAccessDuration = new Histogram({
    name: 'bff_oneaccess_request_duration_seconds',
    help: 'OneAccess calls by endpoint (path template): time to the complete answer.',
    labelNames: ['endpoint'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** `oneAccessCalls.get(endpoint).observe(seconds)` */
  readonly oneAccessCalls = new LabelledChildren(this.oneAccessDuration);

  private readonly oneAccessErrorsTotal = new Counter({
    name: 'bff_oneaccess_errors_total',
    help: 'OneAccess calls that failed by endpoint and kind (timeout, unavailable, bad_response).',
    labelNames: ['endpoint', 'kind'] as const,
    registers: [this.registry],
  });
  readonly oneAccessErrors = new LabelledChildren(this.oneAccessErrorsTotal);

  private readonly rateLimitedTotal = new Counter({
    name: 'bff_rate_limited_total',
    help: 'Requests refused with 429 by policy and the limit that was reached.',
    labelNames: ['policy', 'limit'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new LabelledChildren(this.rateLimitedTotal);

  readonly redisErrors = new Counter({
    name: 'bff_redis_errors_total',
    help: 'Redis connection errors reported by the client.',
    registers: [this.registry],
  });

  private sessionCounter: SessionCounter | null = null;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'bff_' });
    const counter = () => this.sessionCounter;
    new Gauge({
      name: 'bff_sessions_active',
      help: 'Signed-in sessions in the session store (not yet past their absolute lifetime).',
      registers: [this.registry],
      // Every worker reads the same store: the instance's value is any one of them.
      aggregator: 'max',
      async collect() {
        const count = counter();
        if (count) this.set(await count().catch(() => 0));
      },
    });
    shareWithPrimary(this.registry);
  }

  /** Lets the session store report the live-sessions gauge. */
  countSessionsWith(counter: SessionCounter): void {
    this.sessionCounter = counter;
  }

  /** The metrics text: this process's, or with WORKERS > 1 the whole instance's. */
  scrape(): Promise<string> {
    return cluster.isWorker ? scrapeCluster() : this.registry.metrics();
  }

  onModuleDestroy(): void {
    this.registry.clear();
  }
}
