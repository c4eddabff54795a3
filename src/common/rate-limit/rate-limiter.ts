import type { RedisClient } from '../redis/redis.module';

/** The outcome of counting one request against a fixed window. */
export interface RateLimitResult {
  /** False once the window holds more than `limit` requests, this one included. */
  allowed: boolean;
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Milliseconds until the current window ends and the count starts again from zero. */
  resetInMs: number;
  /** Whole seconds to send as `Retry-After` when refused (at least 1); 0 when allowed. */
  retryAfterS: number;
}

/**
 * Fixed-window counters (issue 6). A window starts with the first request for its key and lasts
 * `windowMs`; requests refused inside it do not lengthen it, so a flood can never push a window's
 * end further away.
 */
export interface RateLimiter {
  /** Counts one request for `key` and says whether it is within `limit` for the window. */
  consume(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /**
   * Gives back one request counted earlier in the current window, for counters that keep only
   * some outcomes (failed logins). Never goes below zero and never touches the window's end.
   */
  refund(key: string): Promise<void>;
  /** Forgets `key` at once (a counter of consecutive failures after a success). */
  reset(key: string): Promise<void>;
}

export const RATE_LIMITER = Symbol('RATE_LIMITER');

function decide(count: number, limit: number, resetInMs: number): RateLimitResult {
  const allowed = count <= limit;
  return {
    allowed,
    count,
    resetInMs,
    retryAfterS: allowed ? 0 : Math.max(1, Math.ceil(resetInMs / 1000)),
  };
}

/**
 * One round trip, one key (Cluster-safe): INCR, and start the window's expiry when the key has
 * none (first request, or a key that somehow lost its TTL, which would otherwise block forever).
 */
const CONSUME_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

/** DECR only an existing, positive counter: a refund after the window ended changes nothing. */
const REFUND_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count and count > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0
`;

interface RateLimitScripts {
  bffRateLimitConsume(key: string, windowMs: number): Promise<[number, number]>;
  bffRateLimitRefund(key: string): Promise<number>;
}

/**
 * Counters in Redis, shared by every gateway instance. Keys are `<REDIS_KEY_PREFIX>rl:<key>`;
 * callers pass keys that hold no personal data in clear (see RateLimitService).
 * @throws whatever ioredis throws when Redis is unreachable or slow (the caller maps it to 503).
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly scripts: RateLimitScripts;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {
    // defineCommand runs EVALSHA and falls back to EVAL once per connection (NOSCRIPT).
    redis.defineCommand('bffRateLimitConsume', { numberOfKeys: 1, lua: CONSUME_SCRIPT });
    redis.defineCommand('bffRateLimitRefund', { numberOfKeys: 1, lua: REFUND_SCRIPT });
    this.scripts = redis as unknown as RateLimitScripts;
  }

  async consume(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const [count, ttl] = await this.scripts.bffRateLimitConsume(this.prefix + key, windowMs);
    return decide(Number(count), limit, Number(ttl));
  }

  async refund(key: string): Promise<void> {
    await this.scripts.bffRateLimitRefund(this.prefix + key);
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

interface Window {
  count: number;
  resetAt: number;
}

/**
 * Counters in this process, for development without Redis: not shared between instances and
 * lost on restart. Bounded: beyond `maxKeys` the ended windows go first, then the oldest ones
 * (which loosens a limit rather than letting memory grow without end).
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  consume(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const now = this.now();
    let window = this.live(key, now);
    if (!window) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
      this.evict(now);
    }
    window.count += 1;
    return Promise.resolve(decide(window.count, limit, window.resetAt - now));
  }

  refund(key: string): Promise<void> {
    const window = this.live(key, this.now());
    if (window && window.count > 0) window.count -= 1;
    return Promise.resolve();
  }

  reset(key: string): Promise<void> {
    this.windows.delete(key);
    return Promise.resolve();
  }

  /** How many keys are held (for tests of the bound). */
  get size(): number {
    return this.windows.size;
  }

  private live(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.resetAt <= now) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private evict(now: number): void {
    if (this.windows.size <= this.maxKeys) return;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    // Map order is insertion order: the first keys are the oldest windows.
    for (const key of this.windows.keys()) {
      if (this.windows.size <= this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
