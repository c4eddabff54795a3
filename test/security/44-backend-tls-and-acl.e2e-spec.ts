import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { makeCertificate, RunningSimulator, startSimulator } from 'oneaccess-simulator';
import request from 'supertest';
import { BrowserClient } from '../helpers/browser-client';
import { createTestApp, TestApp } from '../helpers/create-test-app';
import { runDoctor } from '../helpers/doctor-process';
import { freePort } from '../helpers/free-port';
import {
  GatewayProcess,
  productionClientSecret,
  sharedProductionEnv,
  startGatewayProcess,
} from '../helpers/gateway-process';
import { TlsFront } from '../helpers/tls-front';
import { waitFor } from '../helpers/wait-for';
import { oauthLogin, PASSWORD, USERS } from './helpers';

const PREFIX = 'acl44:';
const USER = 'bff';
const PASS = randomBytes(16).toString('hex');

/**
 * docs/security.md 44: the gateway talks to Redis as an authenticated ACL user restricted to its key
 * prefix (the whole product works under `~<prefix>* +@all -@dangerous +info`, and that user can touch
 * nothing else), and its TLS connections are verified: a Redis (`rediss://`) or a OneAccess
 * (`https://`) whose certificate is not trusted is refused; trusting its CA (here through
 * NODE_EXTRA_CA_CERTS, the process-wide CA setting of Node) makes both work.
 */
describe('44: Redis and OneAccess are authenticated, least-privileged and TLS-verified', () => {
  let dir: string;
  let tls: ReturnType<typeof makeCertificate>;
  let redisProcess: ChildProcess;
  let port: number;
  let tlsPort: number;
  let sim: RunningSimulator;
  let oneAccessTls: TlsFront | undefined;
  let oneAccessTlsUrl: string;
  const apps: TestApp[] = [];
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sec44-'));
    tls = makeCertificate(dir);
    port = await freePort();
    tlsPort = await freePort();
    redisProcess = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--tls-port',
        String(tlsPort),
        '--tls-cert-file',
        join(dir, 'cert.pem'),
        '--tls-key-file',
        join(dir, 'key.pem'),
        '--tls-ca-cert-file',
        join(dir, 'cert.pem'),
        '--tls-auth-clients',
        'no',
        '--user',
        'default',
        'off',
        '--user',
        USER,
        'on',
        `>${PASS}`,
        `~${PREFIX}*`,
        '+@all',
        '-@dangerous',
        '+info',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      async () => {
        const c = new Redis({
          port,
          username: USER,
          password: PASS,
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        c.on('error', () => undefined);
        try {
          await c.connect();
          return (await c.ping()) === 'PONG';
        } finally {
          c.disconnect();
        }
      },
      10_000,
      'redis-server with ACL and TLS',
    );
    sim = await startSimulator({
      port: 0,
      control: true,
      clientSecret: productionClientSecret(),
      oauthAuthorize: 'auto',
    });
    // OneAccess over TLS: a TLS front for the simulator with the self-signed certificate.
    oneAccessTls = await new TlsFront().start(tls, sim.url);
    oneAccessTlsUrl = oneAccessTls.url;
  });
  afterAll(async () => {
    await gateway?.stop();
    for (const app of apps) await app.close();
    await oneAccessTls?.close();
    await sim?.close();
    if (redisProcess && redisProcess.exitCode === null) {
      const exited = new Promise((r) => redisProcess.once('exit', r));
      redisProcess.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const appWith = async (env: Record<string, string>) => {
    const app = await createTestApp({
      REDIS_KEY_PREFIX: PREFIX,
      ONEACCESS_BASE_URL: sim.url,
      ONEACCESS_CLIENT_ID: sim.clientId,
      ONEACCESS_CLIENT_SECRET: sim.clientSecret,
      REDIS_TIMEOUT_MS: '500',
      ...env,
    });
    apps.push(app);
    return app;
  };
  const login = (url: string) =>
    new BrowserClient(url).post('/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });

  it('should run everything as a Redis user limited to its prefix, which can reach nothing else', async () => {
    const app = await appWith({
      REDIS_URL: `redis://${USER}:${PASS}@127.0.0.1:${port}`,
      RATE_LIMITS: JSON.stringify({ login_per_ip: 100 }),
    });
    const res = await login(app.url);
    expect(res.body.status).toBe('SUCCESS');
    expect((await oauthLogin(app.url)).done.headers.location).toBe('http://localhost:3000/home');
    expect((await request(app.url).get('/readyz')).status).toBe(200);
    const direct = new Redis({ port, username: USER, password: PASS, maxRetriesPerRequest: 0 });
    try {
      const keys = await direct.keys(`${PREFIX}*`).catch(() => null); // KEYS is @dangerous: refused
      expect(keys).toBeNull();
      const [, own] = await direct.scan('0', 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
      expect(own.some((k) => k.startsWith(`${PREFIX}cred:`))).toBe(true);
      await expect(direct.set('other-app:key', '1')).rejects.toThrow(/NOPERM/);
      await expect(direct.flushall()).rejects.toThrow(/NOPERM/);
      await expect(direct.config('GET', '*')).rejects.toThrow(/NOPERM/);
    } finally {
      direct.disconnect();
    }
  });

  it('should refuse a Redis without the right credentials and a TLS Redis or OneAccess it cannot verify', async () => {
    for (const env of [
      { REDIS_URL: `redis://${USER}:wrong-${PASS}@127.0.0.1:${port}` },
      { REDIS_URL: `redis://127.0.0.1:${port}` },
      { REDIS_URL: `rediss://${USER}:${PASS}@127.0.0.1:${tlsPort}` },
    ]) {
      const app = await appWith(env);
      expect((await request(app.url).get('/readyz')).status).toBe(503);
      const res = await login(app.url);
      expect({ env, status: res.status, code: res.body.code }).toEqual({
        env,
        status: 503,
        code: 'SESSION_STORE_UNAVAILABLE',
      });
    }
    const untrustedOneAccess = await appWith({
      ONEACCESS_BASE_URL: oneAccessTlsUrl,
      REDIS_URL: `redis://${USER}:${PASS}@127.0.0.1:${port}`,
    });
    const res = await login(untrustedOneAccess.url);
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('should work over TLS to both once their CA is trusted (a production process)', async () => {
    gateway = await startGatewayProcess({
      ...sharedProductionEnv({
        redisUrl: `rediss://${USER}:${PASS}@127.0.0.1:${tlsPort}`,
        simulator: sim,
        keyPrefix: PREFIX,
      }),
      ONEACCESS_BASE_URL: oneAccessTlsUrl,
      NODE_EXTRA_CA_CERTS: tls.certPath,
    });
    expect((await request(gateway.url).get('/readyz')).status).toBe(200);
    expect((await login(gateway.url)).body.status).toBe('SUCCESS');
  });
  it('should trust a private CA for Redis alone through REDIS_CA_FILE, and the doctor should connect as the gateway does', async () => {
    const tlsRedis = `rediss://${USER}:${PASS}@127.0.0.1:${tlsPort}`;
    const ownCa = await startGatewayProcess({
      ...sharedProductionEnv({ redisUrl: tlsRedis, simulator: sim, keyPrefix: PREFIX }),
      REDIS_CA_FILE: tls.certPath,
    });
    try {
      expect((await request(ownCa.url).get('/readyz')).status).toBe(200);
      expect((await login(ownCa.url)).body.status).toBe('SUCCESS');
    } finally {
      await ownCa.stop();
    }

    const withCa = await runDoctor({ REDIS_URL: tlsRedis, REDIS_CA_FILE: tls.certPath });
    expect(withCa.lines.get('redis')?.[0]).toBe('ok');
    expect(withCa.lines.get('redis-tls')).toEqual(['ok', 'TLS, verified against REDIS_CA_FILE']);
    const without = await runDoctor({ REDIS_URL: tlsRedis });
    expect(without.lines.get('redis')?.[0]).toBe('fail');
    expect(without.output).not.toContain(PASS);
  });
});
