import { AuditLog } from '../audit/audit-log';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { createHmac } from 'node:crypto';
import { loadLoggingConfig, loggingConfig, LoggingConfig } from '../../config/logging.config';
import { RateLimits, upstreamsConfig } from '../../config/upstreams.config';
import { AppError, storeUnavailable } from '../errors/app-error';
import { clientIpOf } from '../http/request-context';
import { COMMON_METRICS, CommonMetrics } from '../metrics/common-metrics';
import type { PendingStep } from '../session/session.types';
import { addressGroup } from './address-group';
import { RATE_LIMITER, RateLimiter, RateLimitResult } from './rate-limiter';
import { Counts, POLICIES, RateLimitPolicy, RequestFacts } from './rate-limit.policies';

/** How a rate-limited request ended, for counters that keep only some outcomes. */
export type Outcome = 'success' | 'invalid-credentials' | 'other-error';

interface Reservation {
  key: string;
  counts: Counts;
  /** Local epoch ms when the counter's window ends; a refund after it would hit the next one. */
  endsAt: number;
}

function keeps(counts: Counts, outcome: Outcome): boolean {
  if (counts === 'attempt') return true;
  return counts === outcome;
}

function factsOf(req: Request, ipv6Prefix: number): RequestFacts {
  const body: unknown = req.body;
  const pending = (req.session as { pending?: PendingStep } | undefined)?.pending;
  const liveStep = pending?.status === 'MFA_AUTH' && pending.expires_at > Date.now();
  return {
    // The request context's address (TRUST_PROXY, X-Forwarded-For cleaned once).
    ip: addressGroup(clientIpOf(req) || 'unknown', ipv6Prefix),
    body: typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {},
    stepMobile: liveStep ? pending.mobile : undefined,
  };
}

/**
 * The rate limits of issue 6: checks a policy's counters before a handler and settles them after
 * it. Counters live in Redis (shared by every instance) under keys that carry a keyed hash of the
 * IP, user name or mobile, never the value itself. Off when `RATE_LIMITS=off`.
 */
@Injectable()
export class RateLimitService {
  private readonly logger = new Logger('RateLimit');
  private readonly limits: RateLimits | null;
  private readonly ipv6Prefix: number;
  private readonly hashKey: Buffer;
  private readonly reservations = new WeakMap<Request, Reservation[]>();

  constructor(
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(upstreamsConfig.KEY) upstreams: ConfigType<typeof upstreamsConfig>,
    private readonly audit: AuditLog,
    @Optional() @Inject(COMMON_METRICS) private readonly metrics?: CommonMetrics,
    @Optional() @Inject(loggingConfig.KEY) logging?: LoggingConfig,
  ) {
    this.limits = upstreams.rateLimits;
    this.ipv6Prefix = upstreams.ipv6Prefix;
    // A plain SHA-256 of an 11-digit mobile is reversed by trying them all; a key kept out of
    // Redis prevents that. Derived (under its own label) from the log pseudonym key, which every
    // instance shares and which outlives SESSION_SECRETS rotations: an account stop lasts until
    // the owner proves the phone (docs/api.md section 6.1), so a rotation must not lift it, nor
    // hand a stranger a fresh budget of wrong passwords below OneAccess's lockout.
    const key = (logging ?? loadLoggingConfig({})).hashKey;
    this.hashKey = createHmac('sha256', key).update('bff rate-limit keys').digest();
  }

  get enabled(): boolean {
    return this.limits !== null;
  }

  /** A stable pseudonym for an IP, user name or mobile: safe in Redis keys and logs. */
  pseudonym(value: string): string {
    return createHmac('sha256', this.hashKey).update(value).digest('hex').slice(0, 32);
  }

  /** The client a per-address count keys on: the address, an IPv6 one by its prefix. */
  clientOf(ip: string | undefined): string {
    return addressGroup(ip ?? 'unknown', this.ipv6Prefix);
  }

  /**
   * Counts this request against every rule of `policy` and keeps what it counted for
   * {@link settle}.
   * @throws AppError RATE_LIMITED (with `retryAfterS`) when a limit is reached;
   *   SESSION_STORE_UNAVAILABLE when Redis does not answer (fail closed).
   */
  async check(policy: RateLimitPolicy, req: Request): Promise<void> {
    const limits = this.limits;
    if (!limits) return;
    const facts = factsOf(req, this.ipv6Prefix);
    const held: Reservation[] = [];
    for (const rule of POLICIES[policy]) {
      const subject = rule.subject(facts);
      if (subject === undefined) continue;
      const key = `${rule.name}:${this.pseudonym(subject)}`;
      const result = await this.consume(key, rule.limit(limits), rule.windowMs);
      if (!result.allowed) {
        // The handler will not run: counters that keep only outcomes get their unit back.
        await this.refundAll(held.filter((r) => r.counts !== 'attempt'));
        this.metrics?.rateLimited.get(policy, rule.name).inc();
        this.audit.record('rate_limited', {
          policy,
          limit: rule.name,
          subject: this.audit.pseudonym(subject),
          client: this.audit.pseudonym(facts.ip),
          count: result.count,
          retry_after_s: result.retryAfterS,
        });
        throw new AppError('RATE_LIMITED', undefined, { retryAfterS: result.retryAfterS });
      }
      held.push({ key, counts: rule.counts, endsAt: Date.now() + result.resetInMs });
    }
    if (held.length > 0) this.reservations.set(req, held);
  }

  /**
   * Gives back what {@link check} counted for this request and the outcome does not keep: a
   * successful login costs its account nothing. Never throws: a failed refund only leaves a
   * counter one higher until its window ends.
   */
  async settle(req: Request, outcome: Outcome): Promise<void> {
    const held = this.reservations.get(req);
    if (!held) return;
    this.reservations.delete(req);
    const now = Date.now();
    await this.refundAll(held.filter((r) => !keeps(r.counts, outcome) && r.endsAt > now));
  }

  private async consume(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    try {
      return await this.limiter.consume(key, limit, windowMs);
    } catch (cause) {
      // Without its counters the gateway cannot tell a flood from a person: refuse, like the
      // session store does, rather than let brute force through during an outage.
      throw storeUnavailable(cause);
    }
  }

  private async refundAll(reservations: Reservation[]): Promise<void> {
    await Promise.all(
      reservations.map((r) =>
        this.limiter
          .refund(r.key)
          .catch((err: Error) =>
            this.logger.warn({ event: 'rate_limit_refund_failed', cause: err.message }),
          ),
      ),
    );
  }
}
