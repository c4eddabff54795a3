import { RunningSimulator, startSimulator } from 'oneaccess-simulator';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { BrowserClient } from './helpers/browser-client';
import { EchoUpstream } from './helpers/echo-upstream';
import { simControl } from './helpers/flows';
import {
  GatewayProcess,
  productionClientSecret,
  sharedProductionEnv,
  startGatewayProcess,
} from './helpers/gateway-process';
import { mutualTlsCertificates, OtlpReceiver, ReceivedSpan } from './helpers/otlp-receiver';
import { LogLine, logLinesOf } from './helpers/process-output';
import { TestRedisServer } from './helpers/redis-server';
import { waitFor } from './helpers/wait-for';
import { CLIENT, parsedTraceparent, requestFrom, SERVER } from './helpers/trace-context';
import { WsUpstream } from './helpers/ws-upstream';
import { ORIGIN, passwordLogin, PASSWORD, USERS } from './security/helpers';

/** OTLP's status codes: UNSET (a refusal is an answer) and ERROR. */
const UNSET = 0;
const ERROR = 2;
const API_KEY = 'otlp-api-key-paths-93be41c07d';

/** The request line `gateway` wrote for `method path`, polled (lines reach stdout in batches). */
async function requestLine(
  gateway: GatewayProcess,
  method: string,
  path: string,
): Promise<LogLine> {
  // waitFor returns only a truthy probe result: the line, never undefined.
  return (await waitFor(
    () =>
      logLinesOf(gateway.output()).find(
        (l) => l.event === 'request' && l.method === method && l.path === path,
      ),
    10_000,
    `the request line of ${method} ${path}`,
  )) as LogLine;
}

/**
 * An OTLP receiver that is down: it accepts each connection and resets it at once, and counts
 * them. Unlike a closed port, it shows the test that the gateway did try (and fail) to export,
 * and how often.
 */
class ResettingReceiver {
  connections = 0;
  private readonly server: Server = createServer((socket: Socket) => {
    this.connections += 1;
    socket.resetAndDestroy();
  });
  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Tracing on the paths the first suite (tracing.e2e-spec.ts) leaves out, on the built gateway:
 * a relayed WebSocket, a CSRF refusal, OneAccess refusing and failing, the export on SIGTERM,
 * and a receiver that is down. Real Redis, the simulator over HTTP, real upstreams.
 */
describe('tracing on the other paths', () => {
  let redis: TestRedisServer;
  let sim: RunningSimulator;
  let upstream: EchoUpstream;
  let wsUpstream: WsUpstream;
  let receiver: OtlpReceiver;
  let down: ResettingReceiver;
  const gateways: GatewayProcess[] = [];
  let traced: GatewayProcess;
  let browser: BrowserClient;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await new TestRedisServer().start();
    sim = await startSimulator({ port: 0, control: true, clientSecret: productionClientSecret() });
    upstream = await new EchoUpstream().start();
    wsUpstream = await new WsUpstream().start();
    receiver = await new OtlpReceiver().start();
    down = await new ResettingReceiver().start();
    env = {
      ...sharedProductionEnv({ redisUrl: redis.url, simulator: sim }),
      API_ROUTES: JSON.stringify({
        echo: { target: `${upstream.url}/e`, token: 'id_token' },
        live: { target: `${wsUpstream.url}/live`, token: 'id_token', websocket: true },
      }),
    };
    traced = await startGatewayProcess({
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    gateways.push(traced);
    browser = await passwordLogin(traced.url);
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await down?.close();
    await receiver?.stop();
    await wsUpstream?.close();
    await upstream?.close();
    await sim?.close();
    await redis?.stop();
  });

  /** The server span of a request whose line named its trace id. */
  async function serverSpanOf(line: LogLine): Promise<ReceivedSpan> {
    const [server] = await receiver.waitForSpans(
      (s) => s.kind === SERVER && s.traceId === line.trace_id && s.spanId === line.span_id,
    );
    return server;
  }

  it("should trace a WebSocket upgrade: a server span by the route's template, and the upstream's handshake under its client span", async () => {
    const ws = new WebSocket(`${traced.url.replace(/^http/, 'ws')}/api/live/feed/42`, {
      headers: { Cookie: browser.cookieHeader, Origin: ORIGIN },
      perMessageDeflate: false,
    });
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    try {
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const handshake = await waitFor(
        () => wsUpstream.sockets.find((s) => s.url.endsWith('/feed/42')),
        10_000,
        "the upstream's handshake",
      );
      const sent = parsedTraceparent(handshake?.headers.traceparent);
      const [client] = await receiver.waitForSpans((s) => s.spanId === sent.spanId);
      const [server] = await receiver.waitForSpans((s) => s.spanId === client.parentSpanId);
      expect(server).toMatchObject({
        kind: SERVER,
        name: 'GET /api/live/*',
        traceId: sent.traceId,
        attributes: expect.objectContaining({
          'http.route': '/api/live/*',
          'bff.kind': 'websocket',
          'http.response.status_code': 101,
          'url.path': '/api/live/feed/42',
        }),
      });
      expect(client).toMatchObject({
        kind: CLIENT,
        name: 'GET live',
        attributes: expect.objectContaining({ 'http.response.status_code': 101 }),
        status: expect.objectContaining({ code: UNSET }),
      });
    } finally {
      ws.close();
      await closed;
    }
  });

  it('should trace a CSRF refusal as a 403 server span, not an error, and put its trace id on the csrf_rejected line', async () => {
    const status = await requestFrom(traced.url, 'POST', '/api/echo/csrf-probe', {
      cookie: browser.cookieHeader,
    });
    expect(status).toBe(403);
    const line = await requestLine(traced, 'POST', '/api/echo/csrf-probe');
    const server = await serverSpanOf(line);
    expect(server).toMatchObject({
      name: 'POST /api/echo/*',
      attributes: expect.objectContaining({ 'http.response.status_code': 403 }),
      status: expect.objectContaining({ code: UNSET }),
    });
    const audit = await waitFor(
      () =>
        logLinesOf(traced.output()).find(
          (l) => l.audit === 'csrf_rejected' && l.path === '/api/echo/csrf-probe',
        ),
      10_000,
      'the csrf_rejected line',
    );
    expect(audit).toMatchObject({ trace_id: server.traceId, span_id: server.spanId });
    // Refused before the relay: the upstream never saw it, and no client span was made.
    expect(upstream.seen.some((r) => r.url.endsWith('/csrf-probe'))).toBe(false);
    expect(receiver.spans.filter((s) => s.traceId === server.traceId)).toEqual([server]);
  });

  describe('OneAccess', () => {
    /** A password login's server span and its OneAccess login call's client span. */
    async function loginSpans(
      user: string,
      password: string,
    ): Promise<{ status: number; server: ReceivedSpan; client: ReceivedSpan }> {
      const before = logLinesOf(traced.output()).filter(
        (l) => l.event === 'request' && l.path === '/auth/login/password',
      ).length;
      const answer = await new BrowserClient(traced.url).post('/auth/login/password', {
        user_name: user,
        password,
      });
      const line = await waitFor(
        () =>
          logLinesOf(traced.output()).filter(
            (l) => l.event === 'request' && l.path === '/auth/login/password',
          )[before],
        10_000,
        'the login request line',
      );
      const server = await serverSpanOf(line);
      const [client] = await receiver.waitForSpans(
        (s) =>
          s.kind === CLIENT && s.parentSpanId === server.spanId && s.name.endsWith('/sdk/login'),
      );
      return { status: answer.status, server, client };
    }

    it('should record a wrong password as the contract code on the call, not as an error', async () => {
      const { status, server, client } = await loginSpans(USERS.spare.user_name, 'Wr0ng!pass');
      expect(status).toBe(401);
      expect(client).toMatchObject({
        name: 'POST /api/v2/sdk/login',
        attributes: expect.objectContaining({ 'error.type': 'INVALID_CREDENTIALS' }),
        status: expect.objectContaining({ code: UNSET }),
      });
      expect(server).toMatchObject({
        name: 'POST /auth/login/password',
        attributes: expect.objectContaining({ 'http.response.status_code': 401 }),
        status: expect.objectContaining({ code: UNSET }),
      });
      expect(receiver.exportContains('Wr0ng!pass')).toBe(false);
    });

    it('should mark the call and the request as errors when OneAccess is down', async () => {
      const failure = (body: unknown) => simControl(sim, 'POST', 'failure', body);
      await failure({ mode: 'down', paths: ['/api/v2/sdk/login'] });
      try {
        const { status, server, client } = await loginSpans(USERS.other.user_name, PASSWORD);
        expect(status).toBeGreaterThanOrEqual(500);
        expect(client).toMatchObject({
          name: 'POST /api/v2/sdk/login',
          attributes: expect.objectContaining({ 'error.type': 'UPSTREAM_UNAVAILABLE' }),
          status: expect.objectContaining({ code: ERROR }),
        });
        expect(server).toMatchObject({
          name: 'POST /auth/login/password',
          attributes: expect.objectContaining({
            'http.response.status_code': status,
            'error.type': String(status),
          }),
          status: expect.objectContaining({ code: ERROR }),
        });
      } finally {
        await failure({ mode: 'none' });
      }
    });
  });

  it('should trace in every worker, each naming its process (WORKERS=2)', async () => {
    const cluster = await startGatewayProcess({
      ...env,
      WORKERS: '2',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'clustered',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    gateways.push(cluster);
    // A connection each: the primary hands new connections to the workers in turn, once both
    // listen (ready means one does). Polled, with a bound, until spans came from two processes.
    const pidsSeen = () =>
      new Set(
        receiver.spans
          .filter((s) => s.resource['service.name'] === 'clustered' && s.kind === SERVER)
          .map((s) => s.resource['process.pid']),
      );
    // waitFor returns only a truthy probe result: the set, never undefined.
    const pids = (await waitFor(
      async () => {
        expect(await requestFrom(cluster.url, 'GET', '/auth/session', {})).toBe(200);
        const seen = pidsSeen();
        return seen.size >= 2 ? seen : undefined;
      },
      15000,
      'spans from both workers',
    )) as Set<unknown>;
    expect(pids.size).toBe(2);
    expect(pids.has(cluster.pid)).toBe(false);
  });

  it('should export the last requests on SIGTERM, when only the shutdown can deliver them', async () => {
    const slow = await startGatewayProcess({
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      // A batch waits a minute: within the test, only the export on shutdown can send it.
      OTEL_BSP_SCHEDULE_DELAY: '60000',
    });
    gateways.push(slow);
    expect(await requestFrom(slow.url, 'GET', '/auth/session', {})).toBe(200);
    expect(await requestFrom(slow.url, 'GET', '/api/echo/last-call', {})).toBe(401);
    const first = await requestLine(slow, 'GET', '/auth/session');
    const last = await requestLine(slow, 'GET', '/api/echo/last-call');
    const ids = [first.trace_id, last.trace_id];
    expect(receiver.spans.some((s) => ids.includes(s.traceId))).toBe(false);
    expect(await slow.stop()).toEqual({ code: 0, signal: null });
    const spans = await receiver.waitForSpans((s) => ids.includes(s.traceId), { count: 2 });
    expect(spans.map((s) => s.name).sort()).toEqual(['GET /api/echo/*', 'GET /auth/session']);
  });

  it('should serve while the receiver is down, and say so at most once a minute, without its headers', async () => {
    const lonely = await startGatewayProcess({
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${down.port}`,
      OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${API_KEY}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    gateways.push(lonely);
    const problems = () => logLinesOf(lonely.output()).filter((l) => l.event === 'tracing_problem');
    const user = new BrowserClient(lonely.url);
    const login = await user.post('/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    expect((await user.get('/api/echo/while-down')).status).toBe(200);
    await waitFor(() => problems().length > 0, 20_000, 'a tracing_problem line');
    // Two more batches, each exported (and refused) after the one before has failed: the second
    // one's connection means the first one's failure has been reported, or silenced.
    for (let round = 0; round < 2; round++) {
      const tried = down.connections;
      expect((await user.get(`/api/echo/while-down-${round}`)).status).toBe(200);
      await waitFor(() => down.connections > tried, 20_000, `export attempt ${round + 2}`);
    }
    expect(problems()).toHaveLength(1);
    expect(problems()[0]).toMatchObject({ context: 'Tracing', msg: expect.any(String) });
    expect(lonely.output()).not.toContain(API_KEY);
  });
  it('should export over TLS to a receiver behind a private CA that wants a client certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otlp-mtls-'));
    let secure: OtlpReceiver | undefined;
    try {
      const { server, client } = mutualTlsCertificates(dir);
      secure = await new OtlpReceiver({
        tls: { cert: server.cert, key: server.key, clientCa: client.cert },
      }).start();
      const gateway = await startGatewayProcess({
        ...env,
        OTEL_EXPORTER_OTLP_ENDPOINT: secure.url,
        OTEL_EXPORTER_OTLP_CERTIFICATE: server.certPath,
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: client.certPath,
        OTEL_EXPORTER_OTLP_CLIENT_KEY: client.keyPath,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      });
      gateways.push(gateway);
      expect(await requestFrom(gateway.url, 'GET', '/auth/session', {})).toBe(200);
      const line = await requestLine(gateway, 'GET', '/auth/session');
      const [span] = await secure.waitForSpans((s) => s.traceId === line.trace_id);
      expect(span).toMatchObject({ name: 'GET /auth/session', kind: SERVER });
      expect(secure.requests.every((r) => r.status === 200)).toBe(true);
      expect(gateway.output()).not.toContain('tracing_problem');
    } finally {
      await secure?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
