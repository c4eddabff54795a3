import { Global, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis, { Cluster } from 'ioredis';
import { freePort } from '../../../test/helpers/free-port';
import { TestRedisServer } from '../../../test/helpers/redis-server';
import { waitFor } from '../../../test/helpers/wait-for';
import { RedisConfig, redisConfig } from '../../config/redis.config';
import { COMMON_METRICS, CommonMetrics } from '../metrics/common-metrics';
import { createRedisClient, REDIS, RedisClient, RedisModule } from './redis.module';

const TIMEOUT_MS = 300;

function config(over: Partial<RedisConfig>): RedisConfig {
  return {
    mode: 'standalone',
    url: undefined,
    sentinels: [],
    sentinelMaster: 'mymaster',
    clusterNodes: [],
    timeoutMs: TIMEOUT_MS,
    keyPrefix: 'bff:',
    ca: undefined,
    ...over,
  };
}

/** Counts the writes to the client's socket while `work` runs (each one a write syscall). */
async function writesDuring(client: Redis, work: () => Promise<unknown>): Promise<number> {
  const stream = client.stream;
  const write = stream.write.bind(stream);
  let writes = 0;
  stream.write = ((...args: Parameters<typeof write>) => {
    writes += 1;
    return write(...args);
  }) as typeof write;
  try {
    await work();
  } finally {
    // The prototype's own write again (ours shadowed it on the instance).
    delete (stream as Partial<typeof stream>).write;
  }
  return writes;
}

/** Lets the event loop run past the current tick's setImmediate callbacks (no timer involved). */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('createRedisClient auto-pipelining', () => {
  const server = new TestRedisServer();
  let client: Redis;

  beforeAll(() => server.start());
  afterAll(() => server.stop());

  beforeEach(async () => {
    client = createRedisClient(config({ url: server.url })) as Redis;
    client.on('error', () => undefined);
    await waitFor(() => client.status === 'ready', 5000, 'the client to be ready');
  });
  afterEach(() => client.disconnect());

  it('should send the commands of one tick in one socket write, each with its own reply', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `pipe:${i}:${Math.random()}`);
    let replies: unknown[] = [];
    const writes = await writesDuring(client, async () => {
      // The relay's read, the store's writes and its compare-and-set script, issued together.
      replies = await Promise.all([
        ...keys.map((k) => client.set(k, k, 'EX', 60)),
        ...keys.map((k) => client.getBuffer(k)),
        client.eval("return redis.call('GET', KEYS[1])", 1, keys[0]),
        client.get('pipe:missing'),
      ]);
    });
    expect(writes).toBe(1);
    expect(replies.slice(0, keys.length)).toEqual(keys.map(() => 'OK'));
    expect(replies.slice(keys.length, 2 * keys.length)).toEqual(keys.map((k) => Buffer.from(k)));
    expect(replies.slice(2 * keys.length)).toEqual([keys[0], null]);
  });

  it('should fail a command waiting behind a hung batch within two timeouts, then recover', async () => {
    server.pause();
    try {
      const started = Date.now();
      const first = client.get('pipe:a').catch((err: Error) => err);
      // The first batch is written and unanswered: the next command waits for it.
      await nextTurn();
      const second = client
        .get('pipe:b')
        .then(() => null)
        .catch((err: Error) => ({ err, ms: Date.now() - started }));
      expect(await first).toMatchObject({ message: 'Command timed out' });
      const late = await second;
      expect(late?.err.message).toBe('Command timed out');
      expect(late!.ms).toBeLessThan(2 * TIMEOUT_MS + 500);
    } finally {
      server.resume();
    }
    expect(await client.ping()).toBe('PONG');
  });
});

describe('createRedisClient topologies', () => {
  it('should pipeline through Sentinel but not in Cluster mode', async () => {
    // Nothing listens there: the clients are only built, never used.
    const port = await freePort();
    const sentinel = createRedisClient(
      config({ mode: 'sentinel', sentinels: [{ host: '127.0.0.1', port }] }),
    ) as Redis;
    const cluster = createRedisClient(
      config({ mode: 'cluster', clusterNodes: [{ host: '127.0.0.1', port }] }),
    ) as Cluster;
    for (const c of [sentinel, cluster]) c.on('error', () => undefined);
    try {
      expect(sentinel.options.enableAutoPipelining).toBe(true);
      expect(cluster.options.enableAutoPipelining).toBe(false);
      // Nor through the per-node connections' options.
      expect(cluster.options.redisOptions?.enableAutoPipelining).toBeUndefined();
    } finally {
      sentinel.disconnect();
      cluster.disconnect();
    }
  });
});

describe('RedisModule', () => {
  const server = new TestRedisServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('should count connection problems into COMMON_METRICS, and none while Redis answers', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let redisErrors = 0;
    // What modules/metrics provides in the app; here a tally, as common may not import it.
    const metrics: CommonMetrics = {
      redisErrors: { inc: () => void redisErrors++ },
      sessionCookiesRejected: { inc: () => undefined },
      rateLimited: { get: () => ({ inc: () => undefined }) },
    };
    @Global()
    @Module({
      providers: [
        { provide: COMMON_METRICS, useValue: metrics },
        { provide: redisConfig.KEY, useValue: config({ url: server.url }) },
      ],
      exports: [COMMON_METRICS, redisConfig.KEY],
    })
    class Host {}
    const app = await Test.createTestingModule({ imports: [Host, RedisModule] }).compile();
    try {
      const client = app.get<RedisClient>(REDIS);
      expect(await client.ping()).toBe('PONG');
      expect(redisErrors).toBe(0);
      await server.stop();
      await waitFor(() => redisErrors > 0, 10_000, 'a counted Redis error');
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ event: 'redis_unavailable' }));
    } finally {
      await app.close();
      warn.mockRestore();
    }
  });
});
