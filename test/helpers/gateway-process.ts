import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import type { RunningSimulator } from 'oneaccess-simulator';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

/** The built gateway, as production runs it (`npm run build` makes it; `npm test` builds first). */
export const GATEWAY_MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A gateway running as its own operating-system process: `node dist/main.js`. */
export interface GatewayProcess {
  pid: number;
  port: number;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The ops listener's URL when the environment sets OPS_PORT (probes answer only there). */
  opsUrl?: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Current resident set size (VmRSS), in KiB. */
  rssKb(): number;
  /** Peak resident set size since start or the last `resetPeakRss()` (VmHWM), in KiB. */
  peakRssKb(): number;
  /**
   * Resets VmHWM to the current RSS (writes 5 to /proc/<pid>/clear_refs, Linux 4.0+), so a later
   * `peakRssKb()` measures only what happened in between, not start-up. False when the kernel
   * refuses; the peak then still includes start-up.
   */
  resetPeakRss(): boolean;
  /**
   * SIGTERM, then waits for the exit (SIGKILL after `timeoutMs`). Resolves with how it ended:
   * `signal` is 'SIGKILL' only when it did not stop by itself in time.
   */
  stop(timeoutMs?: number): Promise<ProcessExit>;
}

/**
 * What every process of one test shares so that a session made through one is valid on the
 * others: the cookie-signing secrets, the encryption keys of tokens at rest, the Redis and its key
 * prefix, and the OneAccess they talk to. Secrets are fresh random values per test file, long
 * enough and not placeholder-looking, as production requires.
 */
export interface SharedGatewayEnv {
  redisUrl: string;
  simulator: RunningSimulator;
  keyPrefix?: string;
}

/** A client secret the production configuration accepts (the simulator's default is a placeholder). */
export function productionClientSecret(): string {
  return `cs${randomBytes(24).toString('hex')}`;
}

/**
 * The production environment of a group of gateway processes that share sessions: call it once
 * and start every process of the group with the result (each call makes new secrets).
 */
export function sharedProductionEnv(shared: SharedGatewayEnv): Record<string, string> {
  return {
    NODE_ENV: 'production',
    // Plain-http origins (the test's browser and the simulator) are refused in production
    // without the override; the start-up log then names them.
    ALLOW_INSECURE: 'true',
    PUBLIC_ORIGIN: 'http://localhost:3000',
    REDIS_URL: shared.redisUrl,
    REDIS_KEY_PREFIX: shared.keyPrefix ?? `p${randomBytes(4).toString('hex')}:`,
    ONEACCESS_BASE_URL: shared.simulator.url,
    ONEACCESS_CLIENT_ID: shared.simulator.clientId,
    ONEACCESS_CLIENT_SECRET: shared.simulator.clientSecret,
    SESSION_SECRETS: `ss${randomBytes(24).toString('hex')}`,
    SESSION_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
    RATE_LIMITS: 'off',
    LOG_LEVEL: 'info',
    // One process per gateway: the pid is the one serving (RSS), not a cluster primary.
    WORKERS: '1',
  };
}

/** The status of a GET on a connection of its own (nothing left open afterwards). */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

/**
 * Spawns `node dist/main.js` on a free port with exactly `env` (plus PATH and PORT) and waits,
 * within `readyTimeoutMs`, until `/readyz` answers 200 (on OPS_PORT when the environment sets it). Fails early with the process's output
 * when it exits instead.
 */
export async function startGatewayProcess(
  env: Record<string, string>,
  readyTimeoutMs = 30_000,
): Promise<GatewayProcess> {
  if (!existsSync(GATEWAY_MAIN)) {
    throw new Error(
      'dist/main.js is missing: `npm test` builds it; alone, run `npm run build` first',
    );
  }
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [GATEWAY_MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const opsUrl = env.OPS_PORT ? `http://127.0.0.1:${env.OPS_PORT}` : undefined;

  const stop = async (timeoutMs = 10_000): Promise<ProcessExit> => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
        return (await statusOf(`${opsUrl ?? url}/readyz`)) === 200;
      },
      readyTimeoutMs,
      'the gateway process to be ready',
    );
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- gateway output ---\n${output}`);
  }

  const pid = child.pid!;
  return {
    pid,
    port,
    url,
    opsUrl,
    output: () => output,
    rssKb: () => statusField(pid, 'VmRSS'),
    peakRssKb: () => statusField(pid, 'VmHWM'),
    resetPeakRss: () => {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    stop,
  };
}
