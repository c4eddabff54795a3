import { createRedisClient, RedisClient } from '../../common/redis/redis.module';
import { RedisConfig } from '../../config/redis.config';
import { CheckResult, fail, ok, warn } from './doctor.types';

const NAME = 'redis';
const EVICTION = 'redis-eviction';
const TRANSPORT = 'redis-tls';

/**
 * Redis as the gateway would use it (same client factory: standalone, Sentinel or Cluster):
 * reachable, how fast, whether its `maxmemory-policy` may evict session keys, and whether the
 * connection is encrypted.
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
    return [reach, await checkEviction(client), checkTransport(cfg)];
  } catch (err) {
    const why = lastError || (err as Error).message;
    return [
      fail(
        NAME,
        `${describe(cfg)} unreachable (${why}): check REDIS_URL${cfg.mode === 'standalone' ? '' : cfg.mode === 'sentinel' ? ' and REDIS_SENTINELS' : ' and REDIS_CLUSTER_NODES'}, credentials and network`,
      ),
      fail(EVICTION, 'not checked: Redis unreachable'),
      checkTransport(cfg),
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

/**
 * `redis-tls`: whether the Redis password and the session ids travel in clear. `rediss://` is
 * verified (against REDIS_CA_FILE when set). Plain `redis://` passes on loopback; to another host
 * it is a warning, not a failure: the records themselves are encrypted by the gateway, and a
 * private network without TLS is a deliberate choice many deployments make.
 */
export function checkTransport(cfg: RedisConfig): CheckResult {
  if (cfg.url?.startsWith('rediss://'))
    return ok(
      TRANSPORT,
      `TLS, verified against ${cfg.ca ? 'REDIS_CA_FILE' : 'the system CAs (and NODE_EXTRA_CA_CERTS)'}`,
    );
  const hosts = redisHosts(cfg).filter((host) => !isLoopback(host));
  if (hosts.length === 0) return ok(TRANSPORT, 'plain redis:// on loopback');
  return warn(
    TRANSPORT,
    `plain redis:// to ${hosts.join(', ')}: the Redis password and session ids cross the network unencrypted; use rediss:// (REDIS_CA_FILE for a private CA)`,
  );
}

/** The hosts the client connects to: the URL's, or the Sentinel or Cluster nodes'. */
function redisHosts(cfg: RedisConfig): string[] {
  if (cfg.mode === 'sentinel') return [...new Set(cfg.sentinels.map((n) => n.host))];
  if (cfg.mode === 'cluster') return [...new Set(cfg.clusterNodes.map((n) => n.host))];
  return cfg.url ? [new URL(cfg.url).hostname] : [];
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
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
