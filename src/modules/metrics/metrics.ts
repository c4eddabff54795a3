import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The gateway's Prometheus metrics, in a registry of its own (not prom-client's global one, so
 * several app instances in one process, as in tests, never collide). With WORKERS > 1 each
 * worker answers for itself; Prometheus sums over the `instance`'s scrapes.
 */
@Injectable()
export class Metrics implements OnModuleDestroy {
  readonly registry = new Registry();

  readonly relayRequests = new Counter({
    name: 'bff_relay_requests_total',
    help: 'Relayed API calls by route and status class.',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  readonly relayDuration = new Histogram({
    name: 'bff_relay_duration_seconds',
    help: 'Time to the relayed answer (headers), by route.',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

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

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'bff_' });
  }

  onModuleDestroy(): void {
    this.registry.clear();
  }
}
