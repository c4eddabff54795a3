import { createRedisClient, RedisClient } from '../../common/redis/redis.module';
import { RedisConfig } from '../../config/redis.config';
import { CheckResult, fail, ok, warn } from './doctor.types';

const NAME = 'redis';
const EVICTION = 'redis-eviction';

/**
 * Redis as the gateway would use it (same client factory: standalone, Sentinel or Cluster):
 * reachable, how fast, and whether its `maxmemory-policy` may evict session keys.
 */
export async function checkRedis(cfg: RedisConfig | undefined): Promise<CheckResult[]> {
  if (!cfg) return [fail(NAME, 'not checked: fix the REDIS_* variables first (see config)')];
  if (cfg.mode === 'none') {
    return [
      warn(NAME, 'REDIS_URL unset: in-process session store, development only; set REDIS_URL'),
    ];
  }
  const client = createRedisClient(cfg)!;
  let lastError = '';
  client.on('error', (err: Error) => (lastError = err.message));
  // The client retries forever in the background; the doctor gives it one bounded chance.
  const deadline = Math.max(cfg.timeoutMs, 2000) * 2;
  try {
    await withDeadline(client.ping(), deadline);
    const started = performance.now();
    await withDeadline(client.ping(), deadline);
    const latencyMs = performance.now() - started;
    const reach =
      latencyMs > cfg.timeoutMs / 2
        ? warn(
            NAME,
            `${describe(cfg)} answers PING in ${latencyMs.toFixed(1)} ms, over half of REDIS_TIMEOUT_MS=${cfg.timeoutMs}: requests will see 503s; move Redis closer or raise REDIS_TIMEOUT_MS`,
          )
        : ok(NAME, `${describe(cfg)} answers PING in ${latencyMs.toFixed(1)} ms`);
    return [reach, await checkEviction(client)];
  } catch (err) {
    const why = lastError || (err as Error).message;
    return [
      fail(
        NAME,
        `${describe(cfg)} unreachable (${why}): check REDIS_URL${cfg.mode === 'standalone' ? '' : cfg.mode === 'sentinel' ? ' and REDIS_SENTINELS' : ' and REDIS_CLUSTER_NODES'}, credentials and network`,
      ),
      fail(EVICTION, 'not checked: Redis unreachable'),
    ];
  } finally {
    client.disconnect();
  }
}

/**
 * Session keys carry TTLs, so every policy but `noeviction` (the `volatile-*` ones included) may
 * delete live sessions under memory pressure: users would be signed out at random.
 */
async function checkEviction(client: RedisClient): Promise<CheckResult> {
  let policies: string[];
  try {
    const nodes = 'nodes' in client ? client.nodes('master') : [client];
    policies = await Promise.all(nodes.map(async (node) => policyOf(await node.info('memory'))));
  } catch (err) {
    return warn(
      EVICTION,
      `could not read maxmemory-policy (${(err as Error).message}): make sure it is noeviction`,
    );
  }
  const evicting = [...new Set(policies.filter((p) => p !== 'noeviction'))];
  if (evicting.length === 0) return ok(EVICTION, 'maxmemory-policy is noeviction');
  return warn(
    EVICTION,
    `maxmemory-policy is ${evicting.join(', ')}: Redis may evict live session keys under memory pressure (they carry TTLs, so volatile-* evicts them too); set maxmemory-policy noeviction and size maxmemory for the sessions`,
  );
}

function policyOf(info: string): string {
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1] ?? 'unknown';
}

function describe(cfg: RedisConfig): string {
  if (cfg.mode === 'sentinel') return `Sentinel master ${cfg.sentinelMaster}`;
  if (cfg.mode === 'cluster') return `Cluster (${cfg.clusterNodes.length} seed nodes)`;
  return 'Redis';
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
