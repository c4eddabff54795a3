import { RunningSimulator, startSimulator } from 'oneaccess-simulator';
import { BrowserClient } from './helpers/browser-client';
import { simControl } from './helpers/flows';
import { EchoUpstream } from './helpers/echo-upstream';
import {
  GatewayProcess,
  productionClientSecret,
  sharedProductionEnv,
  startGatewayProcess,
} from './helpers/gateway-process';
import { OtlpReceiver, ReceivedSpan } from './helpers/otlp-receiver';
import { logLinesOf } from './helpers/process-output';
import { TestRedisServer } from './helpers/redis-server';
import { waitFor } from './helpers/wait-for';
import { CLIENT, parsedTraceparent, requestFrom, SERVER } from './helpers/trace-context';
import { REQUEST_LINE_KEYS, TRACE_KEYS } from '../src/common/logging/request-line';
import { passwordLogin, PASSWORD, USERS } from './security/helpers';

/** The address the tests' "corporate proxy" connects from; anything else is a browser. */
const PROXY_ADDRESS = '127.0.0.2';
const API_KEY = 'otlp-api-key-7f3a9c1e55d2';

/** A caller's trace context, as a corporate proxy (or a browser pretending to be one) sends it. */
function callerTrace(): { traceId: string; spanId: string; traceparent: string } {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const traceId = hex(32);
  const spanId = hex(16);
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

/**
 * Tracing on the built gateway, as production runs it, against an OTLP/HTTP receiver the test
 * starts (docs/api.md section 7): one gateway exports protobuf, one JSON with a ratio sampler, and
 * one runs without tracing. Real Redis, the simulator over HTTP, a real upstream.
 */
describe('tracing (OpenTelemetry, OTLP/HTTP)', () => {
  let redis: TestRedisServer;
  let sim: RunningSimulator;
  let upstream: EchoUpstream;
  let receiver: OtlpReceiver;
  const gateways: GatewayProcess[] = [];
  let traced: GatewayProcess;
  let browser: BrowserClient;

  const routes = () => JSON.stringify({ echo: { target: `${upstream.url}/e`, token: 'id_token' } });

  beforeAll(async () => {
    redis = await new TestRedisServer().start();
    sim = await startSimulator({ port: 0, control: true, clientSecret: productionClientSecret() });
    upstream = await new EchoUpstream().start();
    receiver = await new OtlpReceiver().start();
    traced = await startGatewayProcess({
      ...sharedProductionEnv({ redisUrl: redis.url, simulator: sim }),
      API_ROUTES: routes(),
      TRUST_PROXY: PROXY_ADDRESS,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_HEADERS: `x-api-key=${API_KEY}`,
      OTEL_SERVICE_NAME: 'portal-gateway',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    gateways.push(traced);
    browser = new BrowserClient(traced.url);
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await receiver?.stop();
    await upstream?.close();
    await sim?.close();
    await redis?.stop();
  });

  const spansOf = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);

  describe('a password login', () => {
    let server: ReceivedSpan;
    let trace: ReceivedSpan[];

    beforeAll(async () => {
      await simControl(sim, 'DELETE', 'journal');
      const login = await browser.post('/auth/login/password', {
        user_name: USERS.plain.user_name,
        password: PASSWORD,
      });
      expect(login.body.status).toBe('SUCCESS');
      [server] = await receiver.waitForSpans(
        (s) => s.kind === SERVER && s.name === 'POST /auth/login/password',
      );
      // The OneAccess calls end before the request does: its span is exported last.
      trace = spansOf(server.traceId);
    });

    it('should export a server span named by the route template, with the status', () => {
      expect(server).toMatchObject({
        parentSpanId: '',
        attributes: expect.objectContaining({
          'http.request.method': 'POST',
          'http.route': '/auth/login/password',
          'http.response.status_code': 200,
        }),
      });
      expect(server.resource['service.name']).toBe('portal-gateway');
      expect(receiver.requests[0].headers['x-api-key']).toBe(API_KEY);
      expect(receiver.requests[0].protocol).toBe('protobuf');
    });

    it("should give each OneAccess call a client span under the login's, whose traceparent OneAccess received", async () => {
      const journal = await simControl<Array<{ path: string; traceparent?: string }>>(
        sim,
        'GET',
        'journal',
      );
      const calls = journal.filter((c) => !c.path.startsWith('/__sim'));
      expect(calls.map((c) => c.path)).toContain('/api/v2/sdk/login');
      const clients = trace.filter((s) => s.kind === CLIENT && s.attributes['peer.service']);
      expect(clients.length).toBe(calls.length);
      for (const call of calls) {
        const sent = parsedTraceparent(call.traceparent);
        expect(sent.traceId).toBe(server.traceId);
        const span = clients.find((s) => s.spanId === sent.spanId);
        expect({ path: call.path, parent: span?.parentSpanId }).toEqual({
          path: call.path,
          parent: server.spanId,
        });
      }
      const login = clients.find((s) => s.name === 'POST /api/v2/sdk/login');
      expect(login?.attributes).toMatchObject({
        'http.response.status_code': 200,
        'url.template': '/api/v2/sdk/login',
      });
    });

    it('should make Redis commands spans of the request, named by the command alone', () => {
      const redisSpans = trace.filter((s) => s.attributes['db.system.name'] === 'redis');
      expect(redisSpans.length).toBeGreaterThan(0);
      for (const span of redisSpans) {
        expect(span.parentSpanId).toBe(server.spanId);
        expect(span.attributes['db.query.text']).toMatch(/^[a-z]+$/);
      }
    });

    it('should put trace_id and span_id on the request line and the audit line', async () => {
      const requestLine = await requestLineOf(traced, '/auth/login/password');
      const lines = logLinesOf(traced.output());
      expect(requestLine).toMatchObject({ trace_id: server.traceId, span_id: server.spanId });
      // One shape still, whichever path wrote the line: the two ids just before `msg`.
      const traced_ = [...REQUEST_LINE_KEYS.slice(0, -1), ...TRACE_KEYS, 'msg'];
      expect((await browser.get('/api/echo/shape')).status).toBe(200);
      const relayLine = await requestLineOf(traced, '/api/echo/shape');
      expect(Object.keys(requestLine)).toEqual(traced_);
      expect(Object.keys(relayLine)).toEqual(traced_);
      const audit = lines.find((l) => l.audit === 'login_success');
      expect(audit?.trace_id).toBe(server.traceId);
    });
  });

  describe('a relayed call', () => {
    it("should continue a trusted proxy's trace and send the upstream its client span", async () => {
      const caller = callerTrace();
      const status = await requestFrom(
        traced.url,
        'GET',
        '/api/echo/continued',
        { cookie: browser.cookieHeader, traceparent: caller.traceparent, tracestate: 'corp=1' },
        PROXY_ADDRESS,
      );
      expect(status).toBe(200);
      const [server] = await receiver.waitForSpans(
        (s) => s.kind === SERVER && s.traceId === caller.traceId,
      );
      expect(server).toMatchObject({
        name: 'GET /api/echo/*',
        parentSpanId: caller.spanId,
        attributes: expect.objectContaining({ 'http.route': '/api/echo/*', 'bff.kind': 'relay' }),
      });
      const seen = upstream.seen.find((r) => r.url.endsWith('/continued'));
      const sent = parsedTraceparent(seen?.headers.traceparent);
      expect(sent.traceId).toBe(caller.traceId);
      const [client] = await receiver.waitForSpans((s) => s.spanId === sent.spanId);
      expect(client).toMatchObject({
        kind: CLIENT,
        name: 'GET echo',
        parentSpanId: server.spanId,
        attributes: expect.objectContaining({ 'http.response.status_code': 200 }),
      });
      expect(seen?.headers.tracestate).toBe('corp=1');
      const line = await requestLineOf(traced, '/api/echo/continued');
      expect(line).toMatchObject({ trace_id: caller.traceId, span_id: server.spanId });
    });

    it("should start a new trace for a browser's traceparent, and never pass it on", async () => {
      const caller = callerTrace();
      const status = await requestFrom(
        traced.url,
        'GET',
        '/api/echo/untrusted',
        { cookie: browser.cookieHeader, traceparent: caller.traceparent },
        '127.0.0.1',
      );
      expect(status).toBe(200);
      const seen = upstream.seen.find((r) => r.url.endsWith('/untrusted'));
      const sent = parsedTraceparent(seen?.headers.traceparent);
      expect(sent.traceId).not.toBe(caller.traceId);
      const [client] = await receiver.waitForSpans((s) => s.spanId === sent.spanId);
      const [server] = await receiver.waitForSpans((s) => s.spanId === client.parentSpanId);
      expect(server).toMatchObject({ kind: SERVER, parentSpanId: '', traceId: sent.traceId });
      expect(receiver.spans.some((s) => s.traceId === caller.traceId)).toBe(false);
    });
  });

  it('should export no password, token, cookie, code or session id in any span', async () => {
    // Everything above has been exported (each test waited for its spans); one more call flushes.
    await browser.get('/auth/session');
    await receiver.waitForSpans((s) => s.name === 'GET /auth/session');
    const issued = await simControl<{ tokens: Array<{ kind: string; value: string }> }>(
      sim,
      'GET',
      'issued-tokens',
    );
    expect(issued.tokens.map((t) => t.kind)).toEqual(
      expect.arrayContaining(['session_token', 'id_token']),
    );
    const cookie = [...browser.cookies.values()][0];
    const sessionId = decodeURIComponent(cookie).replace(/^s:/, '').split('.')[0];
    const secrets = [
      PASSWORD,
      cookie,
      sessionId,
      API_KEY,
      sim.clientSecret,
      ...issued.tokens.map((t) => t.value),
    ];
    expect(receiver.rawBodies.length).toBeGreaterThan(0);
    for (const secret of secrets)
      expect({ secret, found: receiver.exportContains(secret) }).toEqual({
        secret,
        found: false,
      });
    // The user appears nowhere in clear either: not the name, not the account's id.
    expect(receiver.exportContains(USERS.plain.user_name)).toBe(false);
  });

  describe('sampling and the JSON encoding', () => {
    let ratio: GatewayProcess;
    /** The traces the "proxy" asked this gateway to continue. */
    const continued = new Set<string>();

    beforeAll(async () => {
      ratio = await startGatewayProcess({
        ...sharedProductionEnv({ redisUrl: redis.url, simulator: sim }),
        API_ROUTES: routes(),
        TRUST_PROXY: PROXY_ADDRESS,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.tracesUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      });
      gateways.push(ratio);
    });

    it("should follow a trusted caller's sampling decision and export it as OTLP/JSON", async () => {
      const caller = callerTrace();
      continued.add(caller.traceId);
      expect(
        await requestFrom(
          ratio.url,
          'GET',
          '/healthz',
          { traceparent: caller.traceparent },
          PROXY_ADDRESS,
        ),
      ).toBe(200);
      expect(
        await requestFrom(
          ratio.url,
          'GET',
          '/auth/session',
          { traceparent: caller.traceparent },
          PROXY_ADDRESS,
        ),
      ).toBe(200);
      const [server] = await receiver.waitForSpans((s) => s.traceId === caller.traceId);
      expect(server).toMatchObject({ name: 'GET /auth/session', parentSpanId: caller.spanId });
      expect(server.resource['service.name']).toBe('oneaccess-bff');
      expect(receiver.requests.some((r) => r.protocol === 'json')).toBe(true);
      // The probe made no span: probes are not traced.
      expect(receiver.spans.filter((s) => s.traceId === caller.traceId)).toHaveLength(1);
    });

    it('should sample out a request without a sampled parent (ratio 0), yet log its trace id', async () => {
      expect(await requestFrom(ratio.url, 'GET', '/auth/session', {}, '127.0.0.1')).toBe(200);
      // Lines reach stdout in batches: the earlier test's line may come after this point. Every
      // other session view of this gateway continued a trace the test chose.
      const line = await waitFor(
        () => sessionLines(ratio).find((l) => !continued.has(String(l.trace_id))),
        5000,
        'the request line',
      );
      const traceId = String(line?.trace_id);
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      // Flushed by a sampled request after it: the unsampled one never reaches the receiver.
      const caller = callerTrace();
      continued.add(caller.traceId);
      await requestFrom(
        ratio.url,
        'GET',
        '/auth/session',
        { traceparent: caller.traceparent },
        PROXY_ADDRESS,
      );
      await receiver.waitForSpans((s) => s.traceId === caller.traceId);
      expect(receiver.spans.some((s) => s.traceId === traceId)).toBe(false);
    });
  });

  describe('with tracing off', () => {
    let plain: GatewayProcess;
    let plainBrowser: BrowserClient;

    beforeAll(async () => {
      plain = await startGatewayProcess({
        ...sharedProductionEnv({ redisUrl: redis.url, simulator: sim }),
        API_ROUTES: routes(),
        TRUST_PROXY: PROXY_ADDRESS,
      });
      gateways.push(plain);
      plainBrowser = await passwordLogin(plain.url);
    });

    it("should pass a trusted proxy's trace context to the upstream unchanged, and a browser's never", async () => {
      const proxy = callerTrace();
      const cookie = { cookie: plainBrowser.cookieHeader };
      const headers = { ...cookie, traceparent: proxy.traceparent, tracestate: 'corp=2' };
      expect(
        await requestFrom(plain.url, 'GET', '/api/echo/off-proxy', headers, PROXY_ADDRESS),
      ).toBe(200);
      const forged = callerTrace();
      const forgedHeaders = { ...cookie, traceparent: forged.traceparent, tracestate: 'x=1' };
      expect(
        await requestFrom(plain.url, 'GET', '/api/echo/off-browser', forgedHeaders, '127.0.0.1'),
      ).toBe(200);
      const byProxy = upstream.seen.find((r) => r.url.endsWith('/off-proxy'));
      const byBrowser = upstream.seen.find((r) => r.url.endsWith('/off-browser'));
      expect(byProxy?.headers).toMatchObject({
        traceparent: proxy.traceparent,
        tracestate: 'corp=2',
      });
      expect(byBrowser?.headers.traceparent).toBeUndefined();
      expect(byBrowser?.headers.tracestate).toBeUndefined();
    });

    it('should export nothing and write no trace ids', async () => {
      const written = () =>
        logLinesOf(plain.output()).filter((l) => l.event === 'request' || l.audit);
      // The login's request and audit lines and the two relayed calls'.
      await waitFor(() => written().length >= 4, 5000, 'the log lines');
      const lines = written();
      expect(lines.some((l) => l.audit === 'login_success')).toBe(true);
      for (const line of lines) expect(line).not.toHaveProperty('trace_id');
      const exported = receiver.spans.filter((s) => s.resource['service.name'] === 'oneaccess-bff');
      // Only the ratio gateway's sampled-in spans carry the default name; none is the plain one's.
      expect(exported.every((s) => s.name === 'GET /auth/session')).toBe(true);
    });
  });
});

/** The first request line of `path`, polled with a bound: log lines reach stdout in batches. */
function requestLineOf(gateway: GatewayProcess, path: string): Promise<Record<string, unknown>> {
  return waitFor(
    () => logLinesOf(gateway.output()).find((l) => l.event === 'request' && l.path === path),
    5000,
    `the request line of ${path}`,
  ) as Promise<Record<string, unknown>>;
}

/** The session view's request lines of `gateway` so far. */
function sessionLines(gateway: GatewayProcess): Array<Record<string, unknown>> {
  return logLinesOf(gateway.output()).filter(
    (l) => l.event === 'request' && l.path === '/auth/session',
  );
}
