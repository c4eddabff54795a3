import { performance } from 'node:perf_hooks';
import { EchoUpstream } from './helpers/echo-upstream';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { giveUp, rawRequest } from './helpers/raw-http';
import { waitFor } from './helpers/wait-for';
import { COOKIE, passwordLogin, USERS } from './security/helpers';

/** The default share (RELAY_MAX_CONCURRENT_PER_SESSION) and queue (RELAY_QUEUE_PER_SESSION). */
const SHARE = 16;
const QUEUE = 64;
const WAIT_MS = 3000;

/**
 * Fair sharing of the relay (contract section 5): a session's calls beyond its share wait in a
 * bounded queue instead of being refused, a call the browser gives up frees its upstream
 * connection at once, and one session's slow or abandoned calls leave others' calls fast.
 * A real upstream over HTTP, the simulator and Redis; the defaults except a shorter wait.
 */
describe('relay fair sharing and abandoned calls', () => {
  let stack: GatewayStack;
  let upstream: EchoUpstream;
  let heavy: string;
  let other: string;

  const get = (cookie: string, path: string) =>
    rawRequest(stack.gateway.url, 'GET', path, { cookie });
  const seenOf = (part: string) => upstream.seen.filter((s) => s.url.includes(part));
  /** A counter line of the metrics, 0 when absent. */
  const metric = async (pattern: RegExp) => {
    const line = (await get(other, '/metrics')).text.match(pattern);
    return line ? Number(line[1]) : 0;
  };
  const relayCount = (status: string) =>
    metric(new RegExp(`^bff_relay_requests_total\\{route="app",status="${status}"\\} (\\d+)`, 'm'));

  beforeAll(async () => {
    upstream = await new EchoUpstream().start();
    stack = await startGatewayStack({
      env: {
        RELAY_QUEUE_WAIT_MS: String(WAIT_MS),
        // A route as configured by default (64 connections), whose calls may take their time.
        API_ROUTES: JSON.stringify({ app: { target: `${upstream.url}/app`, timeout_ms: 60_000 } }),
      },
    });
    const h = await passwordLogin(stack.gateway.url, USERS.plain.user_name);
    const o = await passwordLogin(stack.gateway.url, USERS.other.user_name);
    heavy = `${COOKIE}=${h.cookies.get(COOKIE)}`;
    other = `${COOKIE}=${o.cookies.get(COOKIE)}`;
  });

  afterAll(async () => {
    await stack?.close();
    await upstream?.close();
  });

  it("should abort the upstream calls a browser gives up, leaving another user's call fast", async () => {
    // 96 calls in four waves of 24, each given up after 100 ms. Without aborting, every wave
    // would leave its calls holding upstream connections, and four waves fill the route's 64.
    for (let wave = 0; wave < 4; wave++) {
      const given = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          giveUp(stack.gateway.url, `/api/app/slow/w${wave}-${i}`, { cookie: heavy }, 100),
        ),
      );
      expect(given.every((s) => s === undefined)).toBe(true);
    }
    const slow = () => seenOf('/slow/');
    // The upstream saw every abandoned call that reached it closed, and none is left open.
    await waitFor(
      () =>
        upstream.open === 0 &&
        upstream.cutOff.filter((u) => u.includes('/slow/')).length === slow().length,
      10_000,
      'the abandoned upstream calls to be closed',
    );
    expect(slow().length).toBeGreaterThan(0);
    const started = performance.now();
    const res = await get(other, '/api/app/status/200');
    const ms = performance.now() - started;
    expect(res.status).toBe(200);
    expect(ms).toBeLessThan(2000);
    // Every call was counted (and logged) as 499, whatever the upstream did.
    await waitFor(async () => (await relayCount('499')) === 96, 10_000, 'the 96 calls counted');
  });

  it.each([20, 50])(
    'should serve all %i parallel calls of one session, a share at a time',
    async (n) => {
      upstream.maxOpen = upstream.open;
      const answers = await Promise.all(
        Array.from({ length: n }, (_, i) => get(heavy, `/api/app/delay/150/p${n}-${i}`)),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(n).fill(200));
      expect(upstream.maxOpen).toBeLessThanOrEqual(SHARE);
    },
  );

  it("should hold hundreds of one session's slow calls to its share, queue, then refuse, and leave others fast", async () => {
    const cut: Array<() => void> = [];
    const statuses: Array<number | undefined> = [];
    const retryAfter: string[] = [];
    const { hostname, port } = new URL(stack.gateway.url);
    const { request } = await import('node:http');
    for (let i = 0; i < 300; i++) {
      const req = request({
        host: hostname,
        port,
        path: `/api/app/slow/h${i}`,
        headers: { cookie: heavy },
        agent: false,
      });
      req.on('response', (r) => {
        statuses.push(r.statusCode);
        retryAfter.push(String(r.headers['retry-after']));
        r.resume();
      });
      req.on('error', () => undefined);
      req.end();
      cut.push(() => req.destroy());
    }
    try {
      // Beyond share and queue, refused at once with Retry-After.
      await waitFor(() => statuses.length >= 300 - SHARE - QUEUE, 15_000, 'the refusals');
      expect(statuses.slice(0, 300 - SHARE - QUEUE).every((s) => s === 429)).toBe(true);
      expect(retryAfter.every((r) => Number(r) >= 1)).toBe(true);
      await waitFor(
        () => seenOf('/slow/h').length >= SHARE,
        10_000,
        'the share to reach the upstream',
      );
      // Another session's calls meanwhile: served at once, one after another.
      for (let i = 0; i < 10; i++) {
        const t = performance.now();
        expect((await get(other, '/api/app/status/200')).status).toBe(200);
        expect(performance.now() - t).toBeLessThan(1000);
      }
      // The queued calls are refused once they waited RELAY_QUEUE_WAIT_MS; only the share ran.
      await waitFor(() => statuses.length >= 300 - SHARE, WAIT_MS + 15_000, 'the waits to run out');
      expect(statuses.every((s) => s === 429)).toBe(true);
      expect(retryAfter.every((r) => Number(r) >= 1)).toBe(true);
      expect(seenOf('/slow/h')).toHaveLength(SHARE);
    } finally {
      for (const c of cut) c();
    }
    await waitFor(() => upstream.open === 0, 10_000, 'the slow calls to be closed');
  });

  it('should never forward a queued call whose browser left, and serve the one that stayed', async () => {
    const leftBefore = await metric(/^bff_relay_queued_total\{outcome="left"\} (\d+)/m);
    const held = Array.from({ length: SHARE }, (_, i) => get(heavy, `/api/app/held/q${i}`));
    await waitFor(() => seenOf('/held/q').length === SHARE, 10_000, 'the share held');
    const left = giveUp(stack.gateway.url, '/api/app/held/left-behind', { cookie: heavy }, 200);
    const stayed = get(heavy, '/api/app/held/stayed');
    expect(await left).toBeUndefined();
    expect(upstream.answerHeld()).toBe(SHARE);
    expect((await Promise.all(held)).map((r) => r.status)).toEqual(Array(SHARE).fill(200));
    await waitFor(() => seenOf('/held/stayed').length === 1, 10_000, 'the queued call forwarded');
    expect(upstream.answerHeld()).toBe(1);
    expect((await stayed).status).toBe(200);
    // One more call after both: anything still queued would have been forwarded before it.
    expect((await get(heavy, '/api/app/status/200')).status).toBe(200);
    expect(seenOf('left-behind')).toHaveLength(0);
    expect(await metric(/^bff_relay_queued_total\{outcome="left"\} (\d+)/m)).toBe(leftBefore + 1);
  });
});
