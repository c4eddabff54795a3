/** One counter or one labelled child of it, as prom-client's `Counter` has it. */
export interface CounterLike {
  inc(): void;
}

/**
 * The metrics that code in src/common counts into. The registry and its metrics belong to
 * modules/metrics, which common may not import (CONTRIBUTING.md section 2): `Metrics` there
 * implements this, and `MetricsModule` provides it under {@link COMMON_METRICS}. The field names
 * are the `Metrics` fields, so each metric keeps one name in the code.
 */
export interface CommonMetrics {
  /** `bff_redis_errors_total` */
  readonly redisErrors: CounterLike;
  /** `bff_session_cookies_rejected_total` */
  readonly sessionCookiesRejected: CounterLike;
  /** `bff_rate_limited_total`: `rateLimited.get(policy, limit).inc()` */
  readonly rateLimited: { get(policy: string, limit: string): CounterLike };
}

export const COMMON_METRICS = Symbol('COMMON_METRICS');
