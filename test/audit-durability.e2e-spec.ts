import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { RunningSimulator, startSimulator } from 'oneaccess-simulator';
import { childProcesses } from './helpers/child-processes';
import {
  GatewayProcess,
  productionClientSecret,
  sharedProductionEnv,
  startGatewayProcess,
} from './helpers/gateway-process';
import { logLinesOf } from './helpers/process-output';
import { TestRedisServer } from './helpers/redis-server';
import { waitFor } from './helpers/wait-for';

/** Wrong admin tokens sent before the kill; under the per-address limit (10). */
const N = 6;

/**
 * Audit lines survive the death of the process that recorded them (docs/security.md 47): each is
 * written out before `record` returns, not left in the log batch (250 ms). A SIGKILL right after
 * the answers is the harshest death, with nothing run on the way out.
 */
describe('audit lines are not lost when a worker dies', () => {
  let redis: TestRedisServer;
  let simulator: RunningSimulator;
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    redis = await new TestRedisServer().start();
    simulator = await startSimulator({ port: 0, clientSecret: productionClientSecret() });
  });
  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
  });
  afterAll(async () => {
    await simulator?.close();
    await redis?.stop();
  });

  const env = (workers: number) => ({
    ...sharedProductionEnv({ redisUrl: redis.url, simulator }),
    ADMIN_TOKEN: randomBytes(32).toString('base64url'),
    WORKERS: String(workers),
  });

  /** N wrong admin tokens, each answered 401 (so each audit line was recorded). */
  async function failAdminAuth(url: string): Promise<void> {
    for (let i = 0; i < N; i++) {
      const res = await fetch(`${url}/admin/sessions?user_id=nobody`, {
        headers: { authorization: `Bearer wrong-token-${i}-${randomBytes(16).toString('hex')}` },
      });
      expect(res.status).toBe(401);
      await res.arrayBuffer();
    }
  }

  const auditCount = (output: string) =>
    logLinesOf(output).filter((l) => l.audit === 'admin_auth_failed').length;

  /** Every line the dead processes wrote arrives within the bound; a lost one never does. */
  async function expectAllAudited(g: GatewayProcess): Promise<void> {
    await waitFor(() => auditCount(g.output()) >= N, 3000, 'the audit lines').catch(
      () => undefined,
    );
    expect(auditCount(g.output())).toBe(N);
  }

  it.each(['exit', 'throw', 'kill'])(
    'should keep every line of a process that records them and dies at once (%s)',
    async (how) => {
      // The gateway's own logging and AuditLog (dist/), dying right after the last record().
      const script = join(__dirname, 'fixtures', 'audit-then-die.js');
      const child = spawn(process.execPath, [script, how, String(N)], {
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      const ended = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        child.once('close', (code, signal) => resolve({ code, signal })),
      );
      expect(ended.code === 0).toBe(false);
      expect(auditCount(output)).toBe(N);
    },
  );

  it('should keep every admin_auth_failed line of a process killed right after answering', async () => {
    gateway = await startGatewayProcess(env(1));
    await failAdminAuth(gateway.url);
    process.kill(gateway.pid, 'SIGKILL');
    await expectAllAudited(gateway);
  });

  it('should keep every line of cluster workers killed right after answering', async () => {
    gateway = await startGatewayProcess(env(2));
    const primary = gateway.pid;
    await waitFor(() => childProcesses(primary).length === 2, 10_000, 'two workers');
    // Found before the calls: reading /proc after them would give the batch time to go out.
    const workers = childProcesses(primary);
    await failAdminAuth(gateway.url);
    for (const worker of workers) process.kill(worker.pid, 'SIGKILL');
    await expectAllAudited(gateway);
  });
});
