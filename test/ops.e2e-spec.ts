import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunningSimulator, startSimulator } from 'oneaccess-simulator';
import request from 'supertest';
import { BrowserClient } from './helpers/browser-client';
import { EchoUpstream } from './helpers/echo-upstream';
import { simControl } from './helpers/flows';
import { freePort } from './helpers/free-port';
import {
  GatewayProcess,
  productionClientSecret,
  sharedProductionEnv,
  startGatewayProcess,
} from './helpers/gateway-process';
import { LogLine, logLinesOf as linesOf, metricSample as sample } from './helpers/process-output';
import { rawRequest, RawReply } from './helpers/raw-http';
import { TestRedisServer } from './helpers/redis-server';
import { REQUEST_LINE_KEYS as ALL_REQUEST_LINE_KEYS } from '../src/common/logging/request-line';
import { waitFor } from './helpers/wait-for';
import { PASSWORD, USERS } from './security/helpers';

type Line = LogLine;

const DASHBOARD = join(__dirname, '..', 'deploy', 'grafana', 'oneaccess-bff.json');

const REQUEST_LINE_KEYS = ['request_id', 'method', 'path', 'status', 'ms', 'route'];
const OPS_PATHS = ['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs'];
/** pino's numeric levels. */
const DEBUG = 20;
const WARN = 40;
const ERROR = 50;

/**
 * Operations (docs/api.md section 7, CONTRIBUTING.md section 10) on the built gateway as
 * production runs it: the ops listener, metrics across cluster workers, one log vocabulary, start
 * and shutdown lines, and audit pseudonyms that survive a SESSION_SECRETS rotation.
 */
describe('operations: ops listener, metrics and logs', () => {
  let redis: TestRedisServer;
  let sim: RunningSimulator;
  let upstream: EchoUpstream;
  /** What both processes share (the OneAccess client secret, so the log key is the same). */
  let base: Record<string, string>;
  const oldSecret = `old${randomBytes(24).toString('hex')}`;

  beforeAll(async () => {
    redis = await new TestRedisServer().start();
    sim = await startSimulator({ port: 0, control: true, clientSecret: productionClientSecret() });
    upstream = await new EchoUpstream().start();
    base = {
      ...sharedProductionEnv({ redisUrl: redis.url, simulator: sim }),
      ALLOW_INSECURE: 'true',
      API_ROUTES: JSON.stringify({ echo: { target: `${upstream.url}/e`, token: 'id_token' } }),
    };
  });
  afterAll(async () => {
    await upstream?.close();
    await sim?.close();
    await redis?.stop();
  });

  describe('a single process with OPS_PORT', () => {
    let gateway: GatewayProcess;
    let env: Record<string, string>;
    let scrape: string;
    let lines: Line[];
    /** The request ids of the requests sent without Host. */
    const hostless: string[] = [];

    beforeAll(async () => {
      env = {
        ...base,
        SESSION_SECRETS: oldSecret,
        OPS_PORT: String(await freePort()),
        DOCS_ENABLED: 'true',
        LOG_LEVEL: 'debug',
        RATE_LIMITS: JSON.stringify({ captcha_per_ip: 2 }),
      };
      gateway = await startGatewayProcess(env);
    });
    afterAll(() => gateway?.stop());

    it('should serve probes, metrics and docs only on the ops port', async () => {
      for (const path of OPS_PATHS) {
        const main = await request(gateway.url).get(path);
        expect({ path, status: main.status, code: main.body.code }).toEqual({
          path,
          status: 404,
          code: 'NOT_FOUND',
        });
        const ops = await request(gateway.opsUrl!).get(path);
        expect({ path, status: ops.status }).toEqual({ path, status: 200 });
      }
      expect((await request(gateway.url).get('/auth/session')).status).toBe(200);
      expect((await request(gateway.opsUrl!).get('/auth/session')).status).toBe(404);
      expect((await request(gateway.opsUrl!).get('/api/echo/x')).status).toBe(404);
    });

    it('should refuse every other spelling of them on the main port, and serve them on the ops port', async () => {
      // Spellings Express itself routes to them: it ignores case and a trailing slash.
      const routed = [
        '/METRICS',
        '/Metrics',
        '/metrics/',
        '/Readyz',
        '/healthz/',
        '/HEALTHZ',
        '/DOCS',
        '/OPENAPI.JSON',
        '/openapi.json/',
        '/OpenAPI.json',
      ];
      // Spellings a proxy in front serves as them: it decodes, merges slashes, resolves dots.
      const proxied = [
        '/%6detrics',
        '/%6Detrics',
        '//metrics',
        '/./readyz',
        '/auth/../metrics',
        '/auth/%2e%2e/metrics',
        '/auth/..%2Fmetrics',
        '//openapi.json',
        '/%64ocs/',
      ];
      for (const path of [...routed, ...proxied]) {
        const main = await rawRequest(gateway.url, 'GET', path);
        expect({ path, status: main.status, code: main.body.code }).toEqual({
          path,
          status: 404,
          code: 'NOT_FOUND',
        });
        expect(main.body.request_id).toBe(main.headers['x-request-id']);
        expect(main.text).not.toMatch(/bff_|openapi|swagger/i);
      }
      for (const path of routed) {
        const ops = await rawRequest(gateway.opsUrl!, 'GET', path);
        expect({ path, status: ops.status }).toEqual({ path, status: 200 });
      }
      // The browser's own paths are untouched, in their spellings Express routes too.
      expect((await rawRequest(gateway.url, 'GET', '/auth/session')).status).toBe(200);
      expect((await rawRequest(gateway.url, 'GET', '/AUTH/Session/')).status).toBe(200);
    });

    it("should answer a request without Host with the contract's 400 on both ports, and serve it with Host", async () => {
      const asked: Array<[string, string]> = [
        [gateway.url, '/auth/session'],
        [gateway.url, '/api/echo/x'],
        [gateway.url, '/auth/profile'],
        [gateway.opsUrl!, '/healthz'],
      ];
      for (const [base, path] of asked) {
        const res: RawReply = await rawRequest(base, 'GET', path, {}, undefined, {
          setHost: false,
        });
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(res.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          request_id: res.headers['x-request-id'],
        });
        expect(res.headers).toMatchObject({
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'strict-transport-security': expect.stringMatching(/max-age=/),
          'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
          connection: 'close',
        });
        hostless.push(res.headers['x-request-id'] as string);
        const served = await rawRequest(base, 'GET', path);
        expect({ path, status: served.status }).toEqual({
          path,
          status: path === '/auth/session' || path === '/healthz' ? 200 : 401,
        });
      }
    });

    it('should count OneAccess calls, /auth requests, 429s, relayed calls and live sessions', async () => {
      const browser = new BrowserClient(gateway.url);
      const login = await browser.post('/auth/login/password', {
        user_name: USERS.plain.user_name,
        password: PASSWORD,
      });
      expect(login.body.status).toBe('SUCCESS');
      for (let i = 0; i < 3; i++) expect((await browser.get('/api/echo/x')).status).toBe(200);
      expect((await browser.get('/api/echo/status/503')).status).toBe(503);
      expect((await browser.get('/auth/profile')).status).toBe(200);
      const wrong = await new BrowserClient(gateway.url).post('/auth/login/password', {
        user_name: USERS.other.user_name,
        password: 'wrong-password',
      });
      expect(wrong.status).toBe(401);
      const captchas = [];
      for (let i = 0; i < 3; i++)
        captchas.push((await request(gateway.url).get('/auth/captcha')).status);
      expect(captchas).toEqual([200, 200, 429]);
      await simControl(sim, 'POST', 'failure', { mode: 'down' });
      try {
        const down = await new BrowserClient(gateway.url).post('/auth/login/password', {
          user_name: USERS.other.user_name,
          password: PASSWORD,
        });
        expect(down.status).toBe(503);
      } finally {
        await simControl(sim, 'POST', 'failure', { mode: 'none' });
      }
      // A proxy the gateway was not told to trust (twice: the warning is logged once).
      for (let i = 0; i < 2; i++)
        await request(gateway.url).get('/auth/session').set('X-Forwarded-For', '198.51.100.7');

      scrape = (await request(gateway.opsUrl!).get('/metrics')).text;
      const login_ = '{endpoint="/api/v2/sdk/login"}';
      expect(sample(scrape, 'bff_oneaccess_request_duration_seconds_count', login_)).toBe(3);
      expect(
        sample(
          scrape,
          'bff_oneaccess_errors_total',
          '{endpoint="/api/v2/sdk/login",kind="unavailable"}',
        ),
      ).toBe(1);
      const auth = (route: string, status: number) =>
        sample(scrape, 'bff_auth_requests_total', `{route="${route}",status="${status}"}`);
      expect(auth('/auth/login/password', 200)).toBe(1);
      expect(auth('/auth/login/password', 401)).toBe(1);
      expect(auth('/auth/login/password', 503)).toBe(1);
      expect(auth('/auth/profile', 200)).toBe(1);
      expect(auth('/auth/captcha', 429)).toBe(1);
      expect(
        sample(scrape, 'bff_rate_limited_total', '{policy="captcha",limit="captcha_per_ip"}'),
      ).toBe(1);
      expect(sample(scrape, 'bff_relay_requests_total', '{route="echo",status="200"}')).toBe(3);
      expect(sample(scrape, 'bff_relay_requests_total', '{route="echo",status="503"}')).toBe(1);
      // Read from Redis at most every few seconds: an earlier scrape may still be cached.
      await waitFor(
        async () =>
          sample((await request(gateway.opsUrl!).get('/metrics')).text, 'bff_sessions_active') ===
          1,
        10_000,
        'the live-sessions gauge to count the login',
      );
      expect(sample(scrape, 'bff_redis_errors_total')).toBe(0);
    });

    it('should have a Grafana dashboard that queries only metrics a real scrape has', () => {
      const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
        // A `row` panel only groups the panels after it: it has no queries.
        panels: Array<{ type: string; targets?: Array<{ expr: string }> }>;
        templating: { list: Array<{ query?: unknown }> };
      };
      const queries = [
        ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
        ...dashboard.templating.list.map((v) => v.query).filter((q) => typeof q === 'string'),
      ] as string[];
      const names = new Set(queries.flatMap((q) => q.match(/\bbff_[a-z0-9_]+/g) ?? []));
      expect(names.size).toBeGreaterThan(10);
      expect(dashboard.panels.filter((p) => p.type !== 'row' && !p.targets)).toEqual([]);
      // A labelled metric with no sample yet still has its TYPE line; histograms by base name.
      const missing = [...names].filter((name) => {
        const base = name.replace(/_(bucket|sum|count)$/, '');
        return !new RegExp(`^# TYPE ${base} `, 'm').test(scrape);
      });
      expect(missing).toEqual([]);
    });

    describe('its log, after it stopped', () => {
      beforeAll(async () => {
        expect((await gateway.stop()).code).toBe(0);
        lines = linesOf(gateway.output());
      });

      it('should write relay and Express request lines with the same fields', () => {
        const relay = lines.find((l) => l.kind === 'relay' && l.status === 200)!;
        const express = lines.find((l) => l.path === '/auth/profile' && l.status === 200)!;
        for (const line of [relay, express]) {
          for (const key of REQUEST_LINE_KEYS)
            expect({ key, has: key in line }).toEqual({ key, has: true });
          expect(line).toMatchObject({
            request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
            method: 'GET',
            status: 200,
            ms: expect.any(Number),
          });
          expect(line).not.toHaveProperty('reqId');
          expect(line).not.toHaveProperty('responseTime');
        }
        expect(relay.route).toBe('echo');
        expect(express.route).toBe('/auth/profile');
      });

      it('should write a request line for each 404 of a path the listener does not serve', () => {
        // /metrics on the main port and /auth/session on the ops port (the first test asked both):
        // answered before Express, by the request's context, in the one line shape.
        // A probe's path logs at debug whatever its status (requestLineLevel).
        for (const [path, level] of [
          ['/metrics', DEBUG],
          ['/auth/session', WARN],
        ] as const) {
          const line = lines.find((l) => l.path === path && l.status === 404);
          expect({ path, line }).toEqual({
            path,
            line: expect.objectContaining({
              event: 'request',
              kind: 'front_door',
              method: 'GET',
              route: null,
              level,
            }),
          });
          expect(Object.keys(line!)).toEqual(ALL_REQUEST_LINE_KEYS);
        }
      });

      it('should log levels by status: 5xx error without a stack, 4xx warn, probes debug', () => {
        const relay503 = lines.find((l) => l.kind === 'relay' && l.status === 503)!;
        const express503 = lines.find(
          (l) => l.path === '/auth/login/password' && l.status === 503,
        )!;
        for (const line of [relay503, express503]) {
          expect(line.level).toBe(ERROR);
          expect(JSON.stringify(line)).not.toMatch(/stack|"err"/);
        }
        expect(
          lines.find((l) => l.path === '/auth/login/password' && l.status === 401)!.level,
        ).toBe(WARN);
        const probes = lines.filter((l) =>
          ['/healthz', '/readyz', '/metrics'].includes(l.path as string),
        );
        expect(probes.length).toBeGreaterThan(3);
        for (const probe of probes) expect(probe.level).toBe(DEBUG);
      });

      it('should write one start line with the URLs and masked configuration, and one shutdown line', () => {
        const starts = lines.filter((l) => l.event === 'start');
        expect(starts).toHaveLength(1);
        const start = starts[0];
        expect(start.msg).toBe(
          `listening on http://0.0.0.0:${gateway.port} (ops http://0.0.0.0:${env.OPS_PORT})`,
        );
        expect(start.config).toMatchObject({
          app: { port: gateway.port, ops: { port: Number(env.OPS_PORT) }, production: true },
          session: { secrets: '[1 set]', encryptionKeys: '[1 set]' },
          oneaccess: { clientSecret: '[set]', baseUrl: sim.url },
          upstreams: { routes: { echo: `${upstream.url}/e (id_token)` } },
          docs: { enabled: true },
        });
        const text = JSON.stringify(start);
        for (const secret of [
          env.SESSION_SECRETS,
          env.SESSION_ENCRYPTION_KEYS,
          env.ONEACCESS_CLIENT_SECRET,
        ])
          expect(text).not.toContain(secret);
        const stops = lines.filter((l) => l.event === 'shutdown');
        expect(stops).toEqual([
          expect.objectContaining({ signal: 'SIGTERM', msg: 'shutting down (SIGTERM)' }),
        ]);
      });

      it('should write a request line for each request refused for want of Host', () => {
        expect(hostless).toHaveLength(4);
        for (const id of hostless) {
          const line = lines.find((l) => l.request_id === id);
          expect(line).toMatchObject({
            event: 'request',
            kind: 'front_door',
            method: 'GET',
            status: 400,
            route: null,
          });
        }
        const main = lines.find((l) => l.request_id === hostless[0])!;
        expect(main).toMatchObject({ level: WARN, path: '/auth/session' });
      });

      it('should warn once about forwarded headers from an untrusted peer', () => {
        const warnings = lines.filter((l) => l.event === 'untrusted_forwarded_headers');
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatchObject({ level: WARN, headers: ['x-forwarded-for'] });
        expect(warnings[0].msg).toMatch(/TRUST_PROXY/);
      });
    });

    describe('then two workers with an ops port, a rotated SESSION_SECRETS and docs left at their default', () => {
      let cluster: GatewayProcess;
      const RELAYED = 20;

      beforeAll(async () => {
        cluster = await startGatewayProcess({
          ...base,
          SESSION_SECRETS: `new${randomBytes(24).toString('hex')},${oldSecret}`,
          WORKERS: '2',
          OPS_PORT: String(await freePort()),
        });
        // Ready means one worker answers; both must listen before traffic is spread over them.
        await waitFor(
          () => linesOf(cluster.output()).filter((l) => l.event === 'start').length === 2,
          20_000,
          'both workers to listen',
        );
      });
      afterAll(() => cluster?.stop());

      it('should not serve the docs in production unless DOCS_ENABLED says so', async () => {
        // On the ops listener, where they would be: the workers share it like the main port.
        expect((await request(cluster.opsUrl!).get('/healthz')).status).toBe(200);
        expect((await request(cluster.opsUrl!).get('/openapi.json')).status).toBe(404);
        expect((await request(cluster.opsUrl!).get('/docs')).status).toBe(404);
      });

      it('should report every worker in every /metrics scrape', async () => {
        const browser = new BrowserClient(cluster.url);
        const login = await browser.post('/auth/login/password', {
          user_name: USERS.plain.user_name,
          password: PASSWORD,
        });
        expect(login.body.status).toBe('SUCCESS');
        // Each call on a connection of its own: the cluster spreads connections over workers.
        for (let i = 0; i < RELAYED; i++)
          expect((await browser.get('/api/echo/x')).status).toBe(200);
        const counts: Array<number | undefined> = [];
        for (let i = 0; i < 6; i++) {
          const text = (await request(cluster.opsUrl!).get('/metrics')).text;
          counts.push(sample(text, 'bff_relay_requests_total', '{route="echo",status="200"}'));
        }
        expect(counts).toEqual(Array(6).fill(RELAYED));
      });

      it('should give a user and client the same pseudonyms across the rotation', async () => {
        expect((await cluster.stop()).code).toBe(0);
        const logins = (l: Line[]) =>
          l.filter((a) => a.audit === 'login_success' && a.method === 'password');
        const before = logins(lines)[0];
        const clusterLines = linesOf(cluster.output());
        const after = logins(clusterLines)[0];
        // Both workers served relayed calls, so the scrapes above summed two processes.
        const relayPids = new Set(clusterLines.filter((l) => l.kind === 'relay').map((l) => l.pid));
        expect(relayPids.size).toBe(2);
        expect(before.user).toMatch(/^[A-Za-z0-9_-]{16}$/);
        expect(before.client).toMatch(/^[A-Za-z0-9_-]{16}$/);
        expect({ user: after.user, client: after.client }).toEqual({
          user: before.user,
          client: before.client,
        });
        const failure = lines.find((a) => a.audit === 'login_failure')!;
        expect(failure.user).toMatch(/^[A-Za-z0-9_-]{16}$/);
        expect(failure.user).not.toBe(before.user);
        expect(JSON.stringify(lines)).not.toContain(USERS.plain.id);
      });
    });
  });
});
