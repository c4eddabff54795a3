import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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
    SESSION_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
  };
}

/** The exit code, or 'running' (the process is then killed) when it has not exited within `ms`. */
async function exitWithin(
  run: ReturnType<typeof runGateway>,
  ms = 20_000,
): Promise<number | null | 'running'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'running'>(
    (resolve) => (timer = setTimeout(() => resolve('running'), ms)),
  );
  const code = await Promise.race([run.exited, late]);
  clearTimeout(timer);
  if (code === 'running') run.child.kill('SIGKILL');
  return code;
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

    it('should refuse proxy ranges that together trust every address, whatever their spelling', async () => {
      for (const trust of ['0.0.0.0/1,128.0.0.0/1,::/1,8000::/1', '::ffff:0:0/96']) {
        const run = runGateway({ ...productionEnv(), ALLOW_INSECURE: 'true', TRUST_PROXY: trust });
        expect(await exitWithin(run)).toBe(1);
        expect(run.output()).toMatch(/TRUST_PROXY: the ranges together trust every IPv4/);
        expect(run.output()).not.toMatch(/\bat .+\.js:\d+/);
      }
    });

    it('should refuse weak and reused key material, naming each variable and never a value', async () => {
      const env = productionEnv();
      const weak = {
        SESSION_ENCRYPTION_KEYS: Buffer.alloc(32).toString('base64'),
        ADMIN_TOKEN: env.SESSION_SECRETS,
        LOG_HASH_KEY: 'a'.repeat(40),
      };
      const run = runGateway({ ...env, ...weak });
      expect(await exitWithin(run)).toBe(1);
      expect(run.output()).toContain('SESSION_ENCRYPTION_KEYS: a key is one byte repeated');
      expect(run.output()).toMatch(
        /ADMIN_TOKEN: equal to a value of SESSION_SECRETS|SESSION_SECRETS: equal to a value of ADMIN_TOKEN/,
      );
      expect(run.output()).toContain('LOG_HASH_KEY: a secret is one character repeated');
      for (const value of [...Object.values(weak), env.ONEACCESS_CLIENT_SECRET])
        expect(run.output()).not.toContain(value);
    });

    it('should not print the values of secrets that fail validation, nor a Redis password', async () => {
      const values = {
        ADMIN_TOKEN: 'too-short-admin-t0ken',
        LOG_HASH_KEY: 'too-short-hash-k3y',
        REDIS_URL: 'redis:/bff:S3cret-redis-pw@127.0.0.1:6379',
      };
      const run = runGateway({ ...productionEnv(), ...values });
      expect(await exitWithin(run)).toBe(1);
      for (const name of Object.keys(values)) expect(run.output()).toContain(`${name}: `);
      for (const value of [...Object.values(values), 'S3cret-redis-pw'])
        expect(run.output()).not.toContain(value);
    });

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
        // the override is said out loud, naming what it let through (log lines leave in batches)
        await waitFor(
          () => /"level":40.*insecure_settings_allowed.*ONEACCESS_BASE_URL/.test(run.output()),
          5_000,
          `the insecure_settings_allowed warning (output: ${run.output()})`,
        );
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
