import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import Redis, { Cluster, RedisOptions } from 'ioredis';
import { redisConfig } from '../../config/redis.config';
import { COMMON_METRICS, CommonMetrics } from '../metrics/common-metrics';
import { RedisOutageLog } from './redis-outage-log';

/** The ioredis client (standalone, Sentinel or Cluster), or null when none is configured (development). */
export const REDIS = Symbol('REDIS');
export type RedisClient = Redis | Cluster;

/** Credentials, TLS and database of a redis:// or rediss:// URL, for Sentinel and Cluster modes. */
function optionsFromUrl(url: string | undefined, ca: Buffer | undefined): RedisOptions {
  if (!url) return {};
  const u = new URL(url);
  const db = Number(u.pathname.slice(1) || 0);
  return {
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: u.protocol === 'rediss:' ? tlsOptions(ca) : undefined,
  };
}

/** TLS to Redis: verified against REDIS_CA_FILE when set, else the system CAs. */
function tlsOptions(ca: Buffer | undefined): RedisOptions['tls'] {
  return ca ? { ca } : {};
}

export function createRedisClient(cfg: ConfigType<typeof redisConfig>): RedisClient | null {
  // A slow or absent Redis must answer 503 quickly, not hang requests: every command is bounded
  // by REDIS_TIMEOUT_MS and retried at most once across a reconnect.
  const common: RedisOptions = {
    commandTimeout: cfg.timeoutMs,
    connectTimeout: Math.max(cfg.timeoutMs, 2000),
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    lazyConnect: false,
  };
  // Commands issued in one event-loop tick leave in ONE socket write instead of one each: with
  // a GET per relayed request, the write syscall to Redis was ~11% of the gateway's CPU under
  // load. Safe for how we use the client: no SELECT, MULTI, blocking or pub/sub commands, and
  // EVAL and the rate limiter's scripts route like any keyed command. Cost: while a batch is
  // unanswered the next one waits, so against a hung Redis a command can take up to two
  // REDIS_TIMEOUT_MS (its batch waits one out, then times out itself) before it fails.
  // Not for Cluster (below): there a batch spans slots and a MOVED is handled per batch.
  const pipelined: RedisOptions = { ...common, enableAutoPipelining: true };
  switch (cfg.mode) {
    case 'none':
      return null;
    case 'standalone':
      // The URL's rediss: scheme turns TLS on; a CA only needs saying when there is one.
      return new Redis(cfg.url!, cfg.ca ? { ...pipelined, tls: tlsOptions(cfg.ca) } : pipelined);
    case 'sentinel':
      return new Redis({
        ...pipelined,
        ...optionsFromUrl(cfg.url, cfg.ca),
        sentinels: cfg.sentinels,
        name: cfg.sentinelMaster,
      });
    case 'cluster': {
      const { username, password, tls } = optionsFromUrl(cfg.url, cfg.ca);
      // No auto-pipelining here (Cluster has its own top-level enableAutoPipelining, left off):
      // ioredis batches per node, so one batch holds many slots, and a MOVED after a reshard is
      // handled for the whole batch (redis/ioredis#2075, open). Reproduced on our ioredis 5.11.1:
      // batched with a write that succeeded, a write to a migrated slot failed with MOVED on
      // every retry and was never applied; a batch of reads failed once, the unmoved key too.
      // Sessions are written on every login and refresh, so batches would mix writes and GETs.
      return new Cluster(cfg.clusterNodes, {
        redisOptions: { ...common, username, password, tls },
        clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2000),
      });
    }
  }
}

/**
 * Provides the shared Redis client. Global because sessions, locks and rate limits all need the
 * same connection, and quits it on shutdown.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [redisConfig.KEY, COMMON_METRICS],
      useFactory: (cfg: ConfigType<typeof redisConfig>, metrics: CommonMetrics) => {
        const client = createRedisClient(cfg);
        const outages = new RedisOutageLog(new Logger('Redis'));
        // Without a listener ioredis prints every reconnect failure as an unhandled error event.
        client?.on('error', (err: Error) => {
          metrics.redisErrors.inc();
          outages.error(err);
        });
        client?.on('ready', () => outages.ready());
        return client;
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient | null) {}

  async onApplicationShutdown(): Promise<void> {
    const redis = this.redis;
    if (!redis) return;
    // QUIT waits for a connection: with Redis unreachable it would hold the shutdown (SIGTERM
    // during an outage) forever. Without a live connection there is nothing to flush: drop it.
    if (redis.status !== 'ready') {
      redis.disconnect();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        redis.quit(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('QUIT timed out')), 2000);
        }),
      ]);
    } catch {
      redis.disconnect();
    } finally {
      clearTimeout(timer);
    }
  }
}
