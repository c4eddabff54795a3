import Redis from 'ioredis';
import { TestRedisServer } from '../../../test/helpers/redis-server';
import { waitFor } from '../../../test/helpers/wait-for';
import { MemoryRateLimiter, RateLimiter, RedisRateLimiter } from './rate-limiter';

/** Behaviour both implementations promise (the RateLimiter interface). */
function behavesAsFixedWindowLimiter(make: () => RateLimiter, longWindowMs: number): void {
  let limiter: RateLimiter;
  let n = 0;
  const key = () => `k${++n}:${Math.random().toString(36).slice(2)}`;

  beforeEach(() => {
    limiter = make();
  });

  it('should allow up to the limit and refuse beyond it with a whole-second Retry-After', async () => {
    const k = key();
    for (let i = 1; i <= 3; i++) {
      expect(await limiter.consume(k, 3, longWindowMs)).toMatchObject({
        allowed: true,
        count: i,
        retryAfterS: 0,
      });
    }
    const refused = await limiter.consume(k, 3, longWindowMs);
    expect(refused.allowed).toBe(false);
    expect(refused.count).toBe(4);
    expect(Number.isInteger(refused.retryAfterS)).toBe(true);
    expect(refused.retryAfterS).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterS).toBeLessThanOrEqual(Math.ceil(longWindowMs / 1000));
  });

  it('should not lengthen the window with refused requests', async () => {
    const k = key();
    const first = await limiter.consume(k, 1, longWindowMs);
    let last = first;
    for (let i = 0; i < 20; i++) last = await limiter.consume(k, 1, longWindowMs);
    expect(last.allowed).toBe(false);
    expect(last.resetInMs).toBeLessThanOrEqual(first.resetInMs);
  });

  it('should keep one counter per key', async () => {
    const a = key();
    const b = key();
    await limiter.consume(a, 1, longWindowMs);
    expect((await limiter.consume(a, 1, longWindowMs)).allowed).toBe(false);
    expect((await limiter.consume(b, 1, longWindowMs)).allowed).toBe(true);
  });

  it('should give back one unit on refund and never go below zero', async () => {
    const k = key();
    await limiter.consume(k, 2, longWindowMs);
    await limiter.consume(k, 2, longWindowMs);
    await limiter.refund(k);
    expect(await limiter.consume(k, 2, longWindowMs)).toMatchObject({ allowed: true, count: 2 });
    await limiter.refund(k);
    await limiter.refund(k);
    await limiter.refund(k);
    expect(await limiter.consume(k, 2, longWindowMs)).toMatchObject({ count: 1 });
  });

  it('should treat a refund for a key it never counted as a no-op', async () => {
    const k = key();
    await limiter.refund(k);
    expect(await limiter.consume(k, 1, longWindowMs)).toMatchObject({ allowed: true, count: 1 });
  });
}

describe('MemoryRateLimiter', () => {
  let now = 1_000_000;
  const clock = () => now;

  describe('as a RateLimiter', () => {
    behavesAsFixedWindowLimiter(() => new MemoryRateLimiter(10_000, clock), 60_000);
  });

  it('should start a fresh window once the window has ended', async () => {
    const limiter = new MemoryRateLimiter(10, clock);
    await limiter.consume('k', 1, 60_000);
    const refused = await limiter.consume('k', 1, 60_000);
    expect(refused).toMatchObject({ allowed: false, retryAfterS: 60 });
    now += 59_999;
    expect((await limiter.consume('k', 1, 60_000)).retryAfterS).toBe(1);
    now += 1;
    expect(await limiter.consume('k', 1, 60_000)).toMatchObject({ allowed: true, count: 1 });
  });

  it('should stay within its bound, dropping ended windows first and then the oldest', async () => {
    const limiter = new MemoryRateLimiter(3, clock);
    await limiter.consume('short', 1, 10);
    await limiter.consume('old', 1, 60_000);
    await limiter.consume('mid', 1, 60_000);
    now += 10; // 'short' has ended
    await limiter.consume('new', 1, 60_000);
    expect(limiter.size).toBe(3);
    expect((await limiter.consume('old', 1, 60_000)).allowed).toBe(false); // kept
    await limiter.consume('newer', 1, 60_000); // over the bound: the oldest live one goes
    expect(limiter.size).toBe(3);
    expect(await limiter.consume('old', 1, 60_000)).toMatchObject({ allowed: true, count: 1 });
  });

  it('should not refund into a window that has ended', async () => {
    const limiter = new MemoryRateLimiter(10, clock);
    await limiter.consume('k', 5, 1000);
    now += 1000;
    await limiter.refund('k');
    expect(await limiter.consume('k', 5, 1000)).toMatchObject({ count: 1 });
  });
});

describe('RedisRateLimiter (real redis-server)', () => {
  let server: TestRedisServer;
  let client: Redis;
  const prefix = 'spec:rl:';

  beforeAll(async () => {
    server = await new TestRedisServer().start();
    client = server.client();
  });
  afterAll(async () => {
    await client.quit();
    await server.stop();
  });

  describe('as a RateLimiter', () => {
    behavesAsFixedWindowLimiter(() => new RedisRateLimiter(client, prefix), 60_000);
  });

  it('should keep its keys under the prefix, each with an expiry of at most one window', async () => {
    const limiter = new RedisRateLimiter(client, prefix);
    await limiter.consume('expiry-check', 5, 60_000);
    expect(await client.get(`${prefix}expiry-check`)).toBe('1');
    const ttl = await client.pttl(`${prefix}expiry-check`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('should start a fresh window once the window has ended', async () => {
    const limiter = new RedisRateLimiter(client, prefix);
    await limiter.consume('short', 1, 150);
    expect((await limiter.consume('short', 1, 150)).allowed).toBe(false);
    await waitFor(
      async () => (await limiter.consume('short', 1, 150)).count === 1,
      5000,
      'the window to end',
    );
  });

  it('should repair a counter that lost its expiry instead of blocking for ever', async () => {
    const limiter = new RedisRateLimiter(client, prefix);
    await client.set(`${prefix}no-ttl`, '99');
    const result = await limiter.consume('no-ttl', 5, 60_000);
    expect(result.allowed).toBe(false);
    expect(result.retryAfterS).toBe(60);
    expect(await client.pttl(`${prefix}no-ttl`)).toBeGreaterThan(0);
  });

  it('should share counters between two clients, as two gateway instances do', async () => {
    const other = server.client();
    try {
      const a = new RedisRateLimiter(client, prefix);
      const b = new RedisRateLimiter(other, prefix);
      await a.consume('shared', 2, 60_000);
      await b.consume('shared', 2, 60_000);
      expect((await a.consume('shared', 2, 60_000)).allowed).toBe(false);
    } finally {
      await other.quit();
    }
  });

  it('should let exactly the limit through when requests arrive at once', async () => {
    const limiter = new RedisRateLimiter(client, prefix);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => limiter.consume('burst', 10, 60_000)),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(results.map((r) => r.count).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  it('should still count after Redis forgets its scripts', async () => {
    const limiter = new RedisRateLimiter(client, prefix);
    await limiter.consume('flush', 5, 60_000);
    await client.script('FLUSH');
    expect(await limiter.consume('flush', 5, 60_000)).toMatchObject({ count: 2 });
    await limiter.refund('flush');
    expect(await client.get(`${prefix}flush`)).toBe('1');
  });
});
