import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificate, RunningSimulator, startSimulator } from 'oneaccess-simulator';
import { DOCTOR, DoctorRun, runDoctor } from './helpers/doctor-process';
import { EchoUpstream } from './helpers/echo-upstream';
import { CLOSED_ORIGIN } from './helpers/free-port';
import { productionClientSecret } from './helpers/gateway-process';
import { TestRedisServer } from './helpers/redis-server';
import { TlsFront } from './helpers/tls-front';

const ORIGIN = 'https://portal.example.com';
const CHECKS = [
  'config',
  'redis',
  'redis-eviction',
  'redis-tls',
  'oneaccess',
  'clock-skew',
  'public-key',
  'tenant-token',
  'oidc-discovery',
  'jwks',
  'oauth-redirect-uri',
  'api-routes',
  'trust-proxy',
  'tracing',
];

describe('npm run doctor (node dist/doctor.js)', () => {
  let redis: TestRedisServer;
  let sim: RunningSimulator;
  const clientSecret = productionClientSecret();
  const sessionSecret = `ss${randomBytes(24).toString('hex')}`;
  const encryptionKey = randomBytes(32).toString('base64');

  /** A complete configuration for the simulator and the test's Redis (not production: http). */
  const env = (): Record<string, string> => ({
    PUBLIC_ORIGIN: ORIGIN,
    REDIS_URL: redis.url,
    ONEACCESS_BASE_URL: sim.url,
    ONEACCESS_CLIENT_ID: sim.clientId,
    ONEACCESS_CLIENT_SECRET: clientSecret,
    SESSION_SECRETS: sessionSecret,
    SESSION_ENCRYPTION_KEYS: encryptionKey,
    // PUBLIC_ORIGIN is https: a proxy ends TLS in front of the gateway, on this machine.
    TRUST_PROXY: 'loopback',
  });

  /** No secret of the environment in the report, whatever failed. */
  function expectNoSecrets(run: DoctorRun, ...more: string[]): void {
    for (const secret of [clientSecret, sessionSecret, encryptionKey, ...more]) {
      expect(run.output).not.toContain(secret);
    }
  }

  beforeAll(async () => {
    if (!existsSync(DOCTOR)) {
      throw new Error('dist/doctor.js is missing: run `npx nest build` (or `npm run build`) first');
    }
    redis = await new TestRedisServer().start();
    sim = await startSimulator({
      port: 0,
      control: true,
      clientSecret,
      oauthRedirectUris: [`${ORIGIN}/auth/oauth/callback`],
    });
  });
  afterAll(async () => {
    await sim?.close();
    await redis?.stop();
  });

  it('should pass every check against the simulator with the right configuration', async () => {
    const run = await runDoctor(env());

    expect(run.code).toBe(0);
    expect([...run.lines.keys()]).toEqual(CHECKS);
    expect(run.output).not.toMatch(/^\S+\s+fail\s/m);
    expect(run.lines.get('redis')).toEqual(['ok', expect.stringMatching(/PING in [\d.]+ ms/)]);
    expect(run.lines.get('redis-eviction')![0]).toBe('ok');
    expect(run.lines.get('redis-tls')).toEqual(['ok', 'plain redis:// on loopback']);
    // plain http is allowed, with a warning, outside production
    expect(run.lines.get('oneaccess')).toEqual(['warn', expect.stringMatching(/plain http/)]);
    expect(run.lines.get('public-key')).toEqual(['ok', 'RSA 2048 bits (PEM)']);
    expect(run.lines.get('jwks')).toEqual(['ok', expect.stringMatching(/^1 key at /)]);
    expect(run.lines.get('clock-skew')![0]).toBe('ok');
    expect(run.lines.get('api-routes')).toEqual(['ok', expect.stringMatching(/none configured/)]);
    expect(run.lines.get('trust-proxy')).toEqual([
      'ok',
      expect.stringMatching(/^TRUST_PROXY loopback/),
    ]);
    expect(run.lines.get('tracing')).toEqual(['ok', 'off (OTEL_EXPORTER_OTLP_ENDPOINT unset)']);
    expectNoSecrets(run);
  });

  it('should fail the tenant-token check with a wrong client secret, naming the credentials', async () => {
    const wrong = productionClientSecret();

    const run = await runDoctor({ ...env(), ONEACCESS_CLIENT_SECRET: wrong });

    expect(run.code).not.toBe(0);
    const [status, detail] = run.lines.get('tenant-token')!;
    expect(status).toBe('fail');
    expect(detail).toMatch(/ONEACCESS_CLIENT_ID and ONEACCESS_CLIENT_SECRET/);
    // the other checks do not need the secret
    expect([...run.lines].filter(([, [s]]) => s === 'fail').map(([n]) => n)).toEqual([
      'tenant-token',
    ]);
    expectNoSecrets(run, wrong);
  });

  it('should fail an unknown redirect URI and an invalid configuration without printing secrets', async () => {
    const run = await runDoctor({
      ...env(),
      PUBLIC_ORIGIN: 'https://elsewhere.example.com',
      SESSION_ENCRYPTION_KEYS: `${encryptionKey},short`,
      REDIS_URL: `http://user:${sessionSecret}@127.0.0.1:1`,
    });

    expect(run.code).not.toBe(0);
    expect(run.lines.get('config')).toEqual([
      'fail',
      expect.stringMatching(
        /SESSION_ENCRYPTION_KEYS.*REDIS_URL|REDIS_URL.*SESSION_ENCRYPTION_KEYS/,
      ),
    ]);
    expect(run.lines.get('oauth-redirect-uri')).toEqual([
      'fail',
      expect.stringMatching(/elsewhere\.example\.com\/auth\/oauth\/callback/),
    ]);
    expectNoSecrets(run);
  });

  it('should name each bad secret variable and never print its value, LOG_HASH_KEY included', async () => {
    const values = {
      ADMIN_TOKEN: 'short-admin-t0ken-x',
      LOG_HASH_KEY: 'short-l0g-hash-key',
      // mistyped (one slash) with a password inside
      REDIS_URL: 'redis:/bff:Typ0-redis-pw@127.0.0.1:1',
    };
    const run = await runDoctor({ ...env(), ...values });

    expect(run.code).not.toBe(0);
    const [status, detail] = run.lines.get('config')!;
    expect(status).toBe('fail');
    for (const name of Object.keys(values)) expect(detail).toContain(`${name}: `);
    expectNoSecrets(run, ...Object.values(values), 'Typ0-redis-pw');
  });

  it('should print no value of a weak secret that production refuses', async () => {
    const weak = 'Zz'.repeat(20);
    const run = await runDoctor({
      ...env(),
      NODE_ENV: 'production',
      ALLOW_INSECURE: 'false',
      LOG_HASH_KEY: weak,
    });

    const [status, detail] = run.lines.get('config')!;
    expect(status).toBe('fail');
    expect(detail).toContain('LOG_HASH_KEY: a secret is a repeated pattern');
    expectNoSecrets(run, weak);
  });

  it('should fail when OneAccess is unreachable', async () => {
    const closed = CLOSED_ORIGIN;

    const run = await runDoctor({ ...env(), ONEACCESS_BASE_URL: closed });

    expect(run.code).not.toBe(0);
    expect(run.lines.get('oneaccess')).toEqual([
      'fail',
      expect.stringContaining(`cannot reach ${closed} (ECONNREFUSED)`),
    ]);
    expect(run.lines.get('tenant-token')).toEqual(['fail', 'not checked: OneAccess unreachable']);
    expect(run.lines.get('redis')![0]).toBe('ok');
  });

  it('should warn when Redis may evict session keys (maxmemory-policy allkeys-lru)', async () => {
    const admin = redis.client();
    try {
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');

      const run = await runDoctor(env());

      expect(run.code).toBe(0);
      expect(run.lines.get('redis-eviction')).toEqual([
        'warn',
        expect.stringMatching(/allkeys-lru.*noeviction/),
      ]);
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      admin.disconnect();
    }
  });

  it('should fail when Redis is unreachable', async () => {
    const run = await runDoctor({
      ...env(),
      REDIS_URL: 'redis://127.0.0.1:1',
    });

    expect(run.code).not.toBe(0);
    expect(run.lines.get('redis')).toEqual(['fail', expect.stringMatching(/unreachable/)]);
  });

  describe('TLS to OneAccess', () => {
    let dir: string;
    let cert: ReturnType<typeof makeCertificate>;
    let server: Server;
    let url: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'doctor-tls-'));
      cert = makeCertificate(dir);
      // Enough of OneAccess for the reachability check: every path answers a server time.
      server = createServer({ cert: cert.cert, key: cert.key }, (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ timestamp: String(Date.now()) }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('should fail an untrusted certificate and name the TLS problem', async () => {
      const run = await runDoctor({ ...env(), ONEACCESS_BASE_URL: url });

      expect(run.code).not.toBe(0);
      expect(run.lines.get('oneaccess')).toEqual([
        'fail',
        expect.stringMatching(/TLS verification failed \(\w+\).*NODE_EXTRA_CA_CERTS/),
      ]);
    });

    it('should name the TLS problem of an API_ROUTES target, and pass once its CA is trusted', async () => {
      const routes = JSON.stringify({ secure: { target: `${url}/v1` } });
      const run = await runDoctor({ ...env(), API_ROUTES: routes });

      expect(run.lines.get('api-routes')).toEqual([
        'fail',
        expect.stringMatching(/^secure \(https:.*\): TLS verification failed \(\w+\)/),
      ]);
      const trusted = await runDoctor({
        ...env(),
        API_ROUTES: routes,
        NODE_EXTRA_CA_CERTS: cert.certPath,
      });
      expect(trusted.lines.get('api-routes')).toEqual([
        'ok',
        expect.stringMatching(/^secure answers \(HTTP 200 /),
      ]);
    });

    it('should accept the certificate once its CA is trusted', async () => {
      const run = await runDoctor({
        ...env(),
        ONEACCESS_BASE_URL: url,
        NODE_EXTRA_CA_CERTS: cert.certPath,
      });

      expect(run.lines.get('oneaccess')).toEqual([
        'ok',
        expect.stringMatching(/TLS certificate verified/),
      ]);
    });
  });

  describe('API_ROUTES targets (api-routes)', () => {
    let upstream: EchoUpstream;
    beforeAll(async () => {
      upstream = await new EchoUpstream().start();
    });
    afterAll(() => upstream?.close());

    it('should pass when every target answers, whatever the status', async () => {
      const routes = {
        orders: { target: `${upstream.url}/orders` },
        missing: { target: `${upstream.url}/status/404` },
      };
      const run = await runDoctor({ ...env(), API_ROUTES: JSON.stringify(routes) });

      expect(run.code).toBe(0);
      expect(run.lines.get('api-routes')).toEqual([
        'ok',
        expect.stringMatching(/^orders answers \(HTTP 200 .*missing answers \(HTTP 404 /),
      ]);
    });

    it('should fail naming the route whose target refuses the connection', async () => {
      const closed = `${CLOSED_ORIGIN}/v1`;
      const routes = { orders: { target: upstream.url }, billing: { target: closed } };
      const run = await runDoctor({ ...env(), API_ROUTES: JSON.stringify(routes) });

      expect(run.code).not.toBe(0);
      const [status, detail] = run.lines.get('api-routes')!;
      expect(status).toBe('fail');
      expect(detail).toMatch(
        new RegExp(`^billing \\(${closed}\\): ECONNREFUSED: the relay would answer 502/504`),
      );
      expect(detail).not.toMatch(/orders/);
      // only this check fails
      expect([...run.lines].filter(([, [s]]) => s === 'fail').map(([n]) => n)).toEqual([
        'api-routes',
      ]);
    });
  });

  describe('proxy in front (trust-proxy)', () => {
    /** The complete configuration, with TRUST_PROXY unset. */
    const untrusting = (): Record<string, string> => {
      const e = env();
      delete e.TRUST_PROXY;
      return e;
    };

    it('should warn when PUBLIC_ORIGIN is https and TRUST_PROXY is unset, and pass once it is set', async () => {
      const base = untrusting();
      const run = await runDoctor(base);

      expect(run.code).toBe(0);
      expect(run.lines.get('trust-proxy')).toEqual([
        'warn',
        expect.stringMatching(/^PUBLIC_ORIGIN is https .*TRUST_PROXY is unset.*set TRUST_PROXY/),
      ]);
      const trusted = await runDoctor({ ...base, TRUST_PROXY: '10.0.0.5' });
      expect(trusted.lines.get('trust-proxy')).toEqual([
        'ok',
        expect.stringMatching(/^TRUST_PROXY 10\.0\.0\.5/),
      ]);
    });

    it('should warn on BASE_PATH without TRUST_PROXY, and expect no proxy for a plain http origin', async () => {
      const http = { ...untrusting(), PUBLIC_ORIGIN: 'http://portal.example.com' };
      // the redirect URI registered at the simulator is the https one: only these lines matter here
      const prefixed = await runDoctor({ ...http, BASE_PATH: '/portal' });
      expect(prefixed.lines.get('trust-proxy')).toEqual([
        'warn',
        expect.stringMatching(
          /^BASE_PATH is \/portal, so a proxy is in front, but TRUST_PROXY is unset/,
        ),
      ]);
      const direct = await runDoctor(http);
      expect(direct.lines.get('trust-proxy')).toEqual([
        'ok',
        expect.stringMatching(/^no proxy expected/),
      ]);
    });
  });

  describe('production against OneAccess over https (oidc-discovery, jwks)', () => {
    let dir: string;
    let cert: ReturnType<typeof makeCertificate>;
    let tlsSim: RunningSimulator;
    let front: TlsFront | undefined;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'doctor-oidc-'));
      cert = makeCertificate(dir);
      tlsSim = await startSimulator({
        tls: cert,
        clientSecret,
        oauthRedirectUris: [`${ORIGIN}/auth/oauth/callback`],
      });
      // TLS ended in front of the plain-http simulator, which does not know: its discovery
      // document then names http:// URLs, as the rehearsal found.
      front = await new TlsFront().start(cert, sim.url);
    });
    afterAll(async () => {
      await tlsSim?.close();
      await front?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const production = (baseUrl: string) => ({
      ...env(),
      NODE_ENV: 'production',
      ONEACCESS_BASE_URL: baseUrl,
      NODE_EXTRA_CA_CERTS: cert.certPath,
    });

    it('should pass every check in production against the simulator over https', async () => {
      const run = await runDoctor(production(tlsSim.url));

      expect(run.output).not.toMatch(/^\S+\s+(fail|warn)\s/m);
      expect(run.code).toBe(0);
      expect(run.lines.get('oidc-discovery')).toEqual([
        'ok',
        expect.stringMatching(/^issuer https:/),
      ]);
      expect(run.lines.get('jwks')).toEqual(['ok', expect.stringMatching(/ at https:/)]);
    });

    it('should warn in production when the issuer and JWKS URI are plain http', async () => {
      const run = await runDoctor(production(front!.url));

      expect(run.lines.get('oneaccess')![0]).toBe('ok');
      expect(run.lines.get('oidc-discovery')).toEqual([
        'warn',
        expect.stringMatching(/^issuer http:.*plain http in production/),
      ]);
      expect(run.lines.get('jwks')).toEqual([
        'warn',
        expect.stringMatching(/ at http:.*plain http in production/),
      ]);
      expectNoSecrets(run);
    });
  });
});
