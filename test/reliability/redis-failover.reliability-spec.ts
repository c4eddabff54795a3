import { waitFor } from '../helpers/wait-for';
import { ClusterTopology, SentinelTopology } from './redis-topologies';
import { ReliabilityStack } from './stack';
import { errorWindowMs, sessionStatuses, signIn, steadyTraffic } from './traffic';

/**
 * The Redis master dies under traffic (SIGKILL, no goodbye): no session may be lost, and the only
 * errors are 503 SESSION_STORE_UNAVAILABLE while Redis elects a new master. Measured by hand
 * before these tests existed: 2.3 s of 503s with Sentinel, 4.1 s with Cluster, 30 of 30 sessions
 * kept. The bar below leaves room for a loaded CI machine; each run prints its own figure.
 */
const SESSIONS = 30;
const ERROR_WINDOW_BAR_MS = 12_000;

async function failoverUnderTraffic(
  stack: ReliabilityStack,
  killMaster: () => Promise<void>,
  label: string,
): Promise<void> {
  const gw = stack.gateways[0];
  const cookies = await signIn(gw.url, SESSIONS, stack.agent);
  const traffic = steadyTraffic([gw.url], cookies, stack.agent);
  try {
    await waitFor(
      () => traffic.outcomes.filter((o) => o.status === 200).length >= 100,
      30_000,
      'warm traffic',
    );
    await killMaster();
    // Recovered: one call per session answers 200 again. (Counting consecutive successes of the
    // steady traffic is not enough: calls to the live masters finish while a call to the dead one
    // still waits for its timeout.)
    await waitFor(
      async () => (await sessionStatuses(gw.url, cookies, stack.agent)).every((s) => s === 200),
      45_000,
      'every session to answer again after the failover',
    );
  } finally {
    await traffic.stop();
  }
  const outcomes = traffic.outcomes;
  const failed = outcomes.filter((o) => o.status !== 200);
  const windowMs = errorWindowMs(outcomes);
  console.log(
    `${label}: ${outcomes.length} calls, ${failed.length} failed (${[...new Set(failed.map((f) => f.status))].join(',') || 'none'}), error window ${windowMs} ms`,
  );
  expect([...new Set(failed.map((f) => f.status))].filter((s) => s !== 503)).toEqual([]);
  expect(windowMs).toBeLessThan(ERROR_WINDOW_BAR_MS);
  expect(await sessionStatuses(gw.url, cookies, stack.agent)).toEqual(cookies.map(() => 200));
}

describe('Redis Sentinel: the master dies under traffic', () => {
  const topology = new SentinelTopology();
  const stack = new ReliabilityStack();

  beforeAll(async () => {
    await topology.start();
    await stack.start({
      REDIS_SENTINELS: topology.sentinelList,
      REDIS_SENTINEL_MASTER: topology.masterName,
    });
    await stack.gateway();
  }, 120_000);
  afterAll(async () => {
    await stack.close();
    await topology.close();
  });

  it('should keep every session and answer only 503 while Sentinel promotes the replica', async () => {
    const oldMaster = topology.master.port;
    await failoverUnderTraffic(
      stack,
      async () => {
        await topology.syncReplica();
        await topology.master.kill();
      },
      'sentinel',
    );
    expect(await topology.currentMasterPort()).toBe(topology.replica.port);
    expect(topology.replica.port).not.toBe(oldMaster);
  }, 120_000);
});

describe('Redis Cluster: a master dies under traffic', () => {
  const topology = new ClusterTopology();
  const stack = new ReliabilityStack();

  beforeAll(async () => {
    await topology.start();
    await stack.start({ REDIS_CLUSTER_NODES: topology.nodeList });
    await stack.gateway();
  }, 120_000);
  afterAll(async () => {
    await stack.close();
    await topology.close();
  });

  it('should keep every session and answer only 503 while a replica takes over', async () => {
    // 30 sessions spread their keys over every master's slots, so any master will do.
    const masters = await topology.masters();
    expect(masters).toHaveLength(3);
    const victim = masters[0];
    await failoverUnderTraffic(
      stack,
      async () => {
        await topology.syncReplicas();
        await topology.kill(victim.port);
      },
      'cluster',
    );
    const after = await topology.masters();
    expect(after.map((m) => m.port)).toEqual(expect.arrayContaining(victim.replicaPorts));
  }, 150_000);
});
