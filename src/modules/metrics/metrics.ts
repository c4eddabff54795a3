import { Injectable, OnModuleDestroy } from '@nestjs/common';
import cluster from 'node:cluster';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CommonMetrics } from '../../common/metrics/common-metrics';
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
 *
 * One name per metric: the public field is the exported name without `bff_` and its unit or
 * `_total` (`bff_relay_requests_total` is `relayRequests`); a labelled metric's prom-client
 * object is private under its full name, and only its bound children are public.
 */
@Injectable()
export class Metrics implements CommonMetrics, OnModuleDestroy {
  readonly registry = new Registry();

  private readonly relayRequestsTotal = new Counter({
    name: 'bff_relay_requests_total',
    help: 'Relayed API calls by route and HTTP status code (499: the browser left first).',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  /** `relayRequests.get(route, '200').inc()` */
  readonly relayRequests = new LabelledChildren(this.relayRequestsTotal);

  private readonly relayDurationSeconds = new Histogram({
    name: 'bff_relay_duration_seconds',
    help: 'Time until the relayed call ended (answer streamed, refused or cut off), by route.',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** `relayDuration.get(route).observe(seconds)` */
  readonly relayDuration = new LabelledChildren(this.relayDurationSeconds);

  private readonly relayQueuedTotal = new Counter({
    name: 'bff_relay_queued_total',
    help:
      'Relayed calls that waited for a slot of their session, by outcome: served, full (refused at ' +
      'once, the queue was full), timeout (refused after RELAY_QUEUE_WAIT_MS), left (browser gone).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  /** `relayQueued.get('served').inc()` */
  readonly relayQueued = new LabelledChildren(this.relayQueuedTotal);
  readonly relayQueueWait = new Histogram({
    name: 'bff_relay_queue_wait_seconds',
    help: 'How long a relayed call that was served waited for a slot of its session.',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly websocketUpgradesTotal = new Counter({
    name: 'bff_websocket_upgrades_total',
    help: 'WebSocket upgrades on the relay by route and HTTP status code (101: opened).',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  /** `websocketUpgrades.get(route, '101').inc()` */
  readonly websocketUpgrades = new LabelledChildren(this.websocketUpgradesTotal);

  private readonly websocketsOpenGauge = new Gauge({
    name: 'bff_websockets_open',
    help: 'Relayed WebSockets open now, by route.',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  /** `websocketsOpen.get(route).inc()` */
  readonly websocketsOpen = new LabelledChildren(this.websocketsOpenGauge);

  private readonly websocketClosesTotal = new Counter({
    name: 'bff_websocket_closes_total',
    help: 'Relayed WebSockets closed, by route and reason: browser, upstream, session_ended, shutdown.',
    labelNames: ['route', 'reason'] as const,
    registers: [this.registry],
  });
  /** `websocketCloses.get(route, 'session_ended').inc()` */
  readonly websocketCloses = new LabelledChildren(this.websocketClosesTotal);

  private readonly websocketMessagesTotal = new Counter({
    name: 'bff_websocket_messages_total',
    help: 'WebSocket messages relayed, by route and direction (to_upstream, to_browser).',
    labelNames: ['route', 'direction'] as const,
    registers: [this.registry],
  });
  /** `websocketMessages.get(route, 'to_upstream').inc()` */
  readonly websocketMessages = new LabelledChildren(this.websocketMessagesTotal);

  private readonly websocketBytesTotal = new Counter({
    name: 'bff_websocket_bytes_total',
    help: 'WebSocket payload bytes relayed, by route and direction (to_upstream, to_browser).',
    labelNames: ['route', 'direction'] as const,
    registers: [this.registry],
  });
  /** `websocketBytes.get(route, 'to_browser').inc(n)` */
  readonly websocketBytes = new LabelledChildren(this.websocketBytesTotal);

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

  private readonly oneAccessRequestDurationSeconds = new Histogram({
    name: 'bff_oneaccess_request_duration_seconds',
    help: 'OneAccess calls by endpoint (path template): time to the complete answer.',
    labelNames: ['endpoint'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** `oneAccessDuration.get(endpoint).observe(seconds)` */
  readonly oneAccessDuration = new LabelledChildren(this.oneAccessRequestDurationSeconds);

  private readonly oneAccessErrorsTotal = new Counter({
    name: 'bff_oneaccess_errors_total',
    help: 'OneAccess calls that failed by endpoint and kind (timeout, unavailable, bad_response).',
    labelNames: ['endpoint', 'kind'] as const,
    registers: [this.registry],
  });
  /** `oneAccessErrors.get(endpoint, kind).inc()` */
  readonly oneAccessErrors = new LabelledChildren(this.oneAccessErrorsTotal);

  private readonly rateLimitedTotal = new Counter({
    name: 'bff_rate_limited_total',
    help: 'Requests refused with 429 by policy and the limit that was reached.',
    labelNames: ['policy', 'limit'] as const,
    registers: [this.registry],
  });
  /** `rateLimited.get(policy, limit).inc()` */
  readonly rateLimited = new LabelledChildren(this.rateLimitedTotal);

  readonly sessionCookiesRejected = new Counter({
    name: 'bff_session_cookies_rejected_total',
    help: 'Requests whose session cookie did not verify (forged, altered, or signed by a retired secret).',
    registers: [this.registry],
  });

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
