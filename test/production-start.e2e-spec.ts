import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  makeCertificate,
  RunningSimulator,
  SelfSignedCertificate,
  startSimulator,
} from 'oneaccess-simulator';
import { runDoctor } from './helpers/doctor-process';
import { freePort } from './helpers/free-port';
import { TestRedisServer } from './helpers/redis-server';
import { waitFor } from './helpers/wait-for';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

/** Runs the built gateway as production does: `node dist/main.js` with only the given environment. */
function runGateway(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  let output = '';
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

const CLIENT_SECRET = 'k9S2m4Q7x1V8b3N6c5Z0a2L4j7H9g1F3';

/** A complete production environment for this Redis and this OneAccess. */
function productionEnvFor(redis: TestRedisServer, simulator: RunningSimulator) {
  return {
    NODE_ENV: 'production',
    PUBLIC_ORIGIN: 'https://portal.example.com',
    REDIS_URL: redis.url,
    ONEACCESS_BASE_URL: simulator.url,
    ONEACCESS_CLIENT_ID: simulator.clientId,
    ONEACCESS_CLIENT_SECRET: CLIENT_SECRET,
    SESSION_SECRETS: 'wq8Lr2Vn5Xb7Kc1Mz9Pd3Tf6Hj0Ys4Ga',
    SESSION_ENCRYPTION_KEYS: Buffer.alloc(32, 3).toString('base64'),
  };
}

describe('production start (contract section 8: npm run build && node dist/main.js)', () => {
  beforeAll(() => {
    if (!existsSync(MAIN))
      throw new Error(
        'dist/main.js is missing: `npm test` builds it; alone, run `npm run build` first',
      );
  });

  it('should refuse to start in production without its variables, naming each one', async () => {
    const run = runGateway({ NODE_ENV: 'production' });
    expect(await run.exited).toBe(1);
    for (const name of [
      'REDIS_URL',
      'ONEACCESS_BASE_URL',
      'ONEACCESS_CLIENT_ID',
      'ONEACCESS_CLIENT_SECRET',
      'SESSION_SECRETS',
      'SESSION_ENCRYPTION_KEYS',
    ]) {
      expect(run.output()).toContain(name);
    }
    expect(run.output()).not.toMatch(/\bat .+\.js:\d+/); // a message, not a stack trace
  });

  describe('with a real Redis and OneAccess', () => {
    let redis: TestRedisServer;
    let simulator: RunningSimulator;
    beforeAll(async () => {
      redis = await new TestRedisServer().start();
      simulator = await startSimulator({ port: 0 });
    });
    afterAll(async () => {
      await simulator.close();
      await redis.stop();
    });

    const productionEnv = () => productionEnvFor(redis, simulator);

    it('should refuse weak settings with one message naming each, never a stack', async () => {
      const run = runGateway({
        ...productionEnv(),
        PUBLIC_ORIGIN: 'http://portal.example.com',
        COOKIE_SECURE: 'false',
        COOKIE_NAME: 'bff',
        TRUST_PROXY: '0.0.0.0/0,::/0',
      });
      expect(await run.exited).toBe(1);
      for (const name of ['PUBLIC_ORIGIN', 'ONEACCESS_BASE_URL', 'COOKIE_SECURE', 'TRUST_PROXY'])
        expect(run.output()).toContain(`${name}:`);
      expect(run.output()).toContain('ALLOW_INSECURE');
      expect(run.output()).not.toMatch(/\bat .+\.js:\d+/);
    });

    it('should serve, be ready, and stop cleanly on SIGTERM', async () => {
      const port = await freePort();
      const run = runGateway({
        // the simulator speaks plain http: allowed only with the override, which is logged
        ...productionEnv(),
        ALLOW_INSECURE: 'true',
        PORT: String(port),
      });
      try {
        const base = `http://127.0.0.1:${port}`;
        await waitFor(
          async () => (await fetch(`${base}/readyz`)).status === 200,
          20_000,
          `readyz (output: ${run.output()})`,
        );
        const session = await (await fetch(`${base}/auth/session`)).json();
        expect(session).toMatchObject({ authenticated: false, status: 'ANONYMOUS' });
        // production never starts the embedded simulator
        expect(run.output()).not.toContain('embedded OneAccess simulator');
        // the override is said out loud, naming what it let through
        expect(run.output()).toMatch(/"level":40.*insecure_settings_allowed.*ONEACCESS_BASE_URL/);
      } finally {
        run.child.kill('SIGTERM');
      }
      expect(await run.exited).toBe(0);
    });
  });
  describe('rehearsal: the simulator over https (README "Rehearse production")', () => {
    let redis: TestRedisServer;
    let simulator: RunningSimulator;
    let dir: string;
    let cert: SelfSignedCertificate;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'rehearsal-'));
      cert = makeCertificate(dir);
      redis = await new TestRedisServer().start();
      simulator = await startSimulator({
        port: 0,
        tls: cert,
        clientSecret: CLIENT_SECRET,
        oauthRedirectUris: ['https://portal.example.com/auth/oauth/callback'],
      });
    });
    afterAll(async () => {
      await simulator?.close();
      await redis?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('should pass the doctor, then serve in production with no insecure override', async () => {
      const port = await freePort();
      const env = {
        ...productionEnvFor(redis, simulator),
        TRUST_PROXY: 'loopback',
        NODE_EXTRA_CA_CERTS: cert.certPath,
        PORT: String(port),
      };
      expect(simulator.url).toMatch(/^https:/);
      const doctor = await runDoctor(env);
      expect(doctor.output).not.toMatch(/^\S+\s+(warn|fail)\s/m);
      expect(doctor.code).toBe(0);

      const run = runGateway(env);
      try {
        const base = `http://127.0.0.1:${port}`;
        await waitFor(
          async () => (await fetch(`${base}/readyz`)).status === 200,
          30_000,
          `readyz (output: ${run.output()})`,
        );
        // A password login goes to OneAccess over verified TLS.
        const login = await fetch(`${base}/auth/login/password`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf': '1' },
          body: JSON.stringify({ user_name: 'zhangsan', password: 'Passw0rd!2024' }),
        });
        expect(login.status).toBe(200);
        expect(run.output()).not.toContain('insecure_settings_allowed');
      } finally {
        run.child.kill('SIGTERM');
      }
      expect(await run.exited).toBe(0);
    }, 90_000);
  });
});
