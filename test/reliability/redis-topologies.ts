import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { freePort } from '../helpers/free-port';
import { waitFor } from '../helpers/wait-for';

const run = promisify(execFile);

/** `redis-cli` against one node; its stdout. */
async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    timeout: 30_000,
  });
  return stdout;
}

/** One redis-server (or sentinel) process of a topology, killed with the rest. */
class Node {
  private readonly exited: Promise<void>;
  constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((r) => child.once('exit', () => r()));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/**
 * Processes started from config files in a private temp dir. Everything is stopped and the dir
 * removed by `close()`, which the tests call in `afterAll` even when `start()` failed half-way.
 */
abstract class Topology {
  protected readonly dir = mkdtempSync(join(tmpdir(), 'bff-redis-'));
  protected readonly nodes: Node[] = [];

  protected async spawnNode(lines: string[], sentinel = false): Promise<Node> {
    const port = await freePort();
    const conf = join(this.dir, `${port}.conf`);
    const base = [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${this.dir}`,
      'save ""',
      'appendonly no',
      `logfile ${join(this.dir, `${port}.log`)}`,
    ];
    writeFileSync(conf, [...base, ...lines].join('\n') + '\n');
    const child = spawn('redis-server', sentinel ? [conf, '--sentinel'] : [conf], {
      stdio: 'ignore',
    });
    const node = new Node(port, child);
    this.nodes.push(node);
    await waitFor(
      async () => (await cli(port, 'PING')).trim() === 'PONG',
      10_000,
      `redis on ${port}`,
    );
    return node;
  }

  async close(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.kill()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** 1 master, 1 replica and 3 sentinels (quorum 2) that fail over within about 2 s. */
export class SentinelTopology extends Topology {
  readonly masterName = 'mymaster';
  master!: Node;
  replica!: Node;
  sentinels: Node[] = [];

  async start(): Promise<this> {
    this.master = await this.spawnNode([]);
    this.replica = await this.spawnNode([`replicaof 127.0.0.1 ${this.master.port}`]);
    await waitFor(
      async () =>
        (await cli(this.replica.port, 'INFO', 'replication')).includes('master_link_status:up'),
      15_000,
      'the replica to sync',
    );
    for (let i = 0; i < 3; i++) {
      this.sentinels.push(
        await this.spawnNode(
          [
            `sentinel monitor ${this.masterName} 127.0.0.1 ${this.master.port} 2`,
            `sentinel down-after-milliseconds ${this.masterName} 1000`,
            `sentinel failover-timeout ${this.masterName} 5000`,
            `sentinel parallel-syncs ${this.masterName} 1`,
          ],
          true,
        ),
      );
    }
    // Each sentinel must know the replica and the other sentinels before a failover can happen.
    await waitFor(
      async () => {
        for (const s of this.sentinels) {
          const info = await cli(s.port, 'SENTINEL', 'MASTER', this.masterName);
          const field = (name: string) =>
            Number(info.split('\n')[info.split('\n').findIndex((l) => l.trim() === name) + 1]);
          if (field('num-slaves') < 1 || field('num-other-sentinels') < 2) return false;
        }
        return true;
      },
      20_000,
      'the sentinels to discover each other and the replica',
    );
    return this;
  }

  /** `REDIS_SENTINELS` for the gateway. */
  get sentinelList(): string {
    return this.sentinels.map((s) => `127.0.0.1:${s.port}`).join(',');
  }

  /** Waits until the replica has everything the master acknowledged (no write lost by the kill). */
  async syncReplica(): Promise<void> {
    const c = new Redis(this.master.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    try {
      const acked = (await c.call('WAIT', '1', '5000')) as number;
      if (acked < 1) throw new Error('the replica did not acknowledge the writes');
    } finally {
      c.disconnect();
    }
  }

  /** The port the sentinels now name as master. */
  async currentMasterPort(): Promise<number> {
    const out = await cli(
      this.sentinels[0].port,
      'SENTINEL',
      'GET-MASTER-ADDR-BY-NAME',
      this.masterName,
    );
    return Number(out.trim().split('\n')[1]);
  }
}

/** 3 masters with 1 replica each; a replica takes over about 2 s after its master dies. */
export class ClusterTopology extends Topology {
  async start(): Promise<this> {
    for (let i = 0; i < 6; i++) {
      const conf = join(this.dir, `nodes-${i}.conf`);
      await this.spawnNode([
        'cluster-enabled yes',
        `cluster-config-file ${conf}`,
        'cluster-node-timeout 1000',
        // A replica may take over even when it has been cut off for a while (the test kills quickly).
        'cluster-replica-validity-factor 0',
      ]);
    }
    await cli(
      this.nodes[0].port,
      '--cluster',
      'create',
      ...this.nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    );
    await waitFor(
      async () => {
        for (const n of this.nodes) {
          if (!(await cli(n.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
        }
        return true;
      },
      30_000,
      'the cluster to be ok on every node',
    );
    return this;
  }

  /** `REDIS_CLUSTER_NODES` for the gateway. */
  get nodeList(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  /** The masters with their replicas, as CLUSTER NODES tells. */
  async masters(): Promise<{ port: number; replicaPorts: number[] }[]> {
    const live = this.nodes.find((n) => n.alive)!;
    const lines = (await cli(live.port, 'CLUSTER', 'NODES')).trim().split('\n');
    const parsed = lines.map((l) => {
      const [id, addr, flags, masterId] = l.split(' ');
      return { id, port: Number(addr.split('@')[0].split(':')[1]), flags, masterId };
    });
    return parsed
      .filter((n) => n.flags.includes('master') && !n.flags.includes('fail'))
      .map((m) => ({
        port: m.port,
        replicaPorts: parsed.filter((r) => r.masterId === m.id).map((r) => r.port),
      }));
  }

  /** Waits until every replica has the writes its master acknowledged. */
  async syncReplicas(): Promise<void> {
    for (const m of await this.masters()) {
      const c = new Redis(m.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
      try {
        await c.call('WAIT', '1', '5000');
      } finally {
        c.disconnect();
      }
    }
  }

  /** Kills the node on `port` (a master, for a failover). */
  async kill(port: number): Promise<void> {
    await this.nodes.find((n) => n.port === port)!.kill();
  }

  /** Keys over all live masters (the test's own prefix). */
  async dbsize(): Promise<number> {
    let total = 0;
    for (const m of await this.masters()) {
      if (!this.nodes.find((n) => n.port === m.port)?.alive) continue;
      total += Number((await cli(m.port, 'DBSIZE')).trim());
    }
    return total;
  }
}
