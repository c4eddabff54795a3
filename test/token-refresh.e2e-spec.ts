import { randomBytes } from 'node:crypto';
import { RunningSimulator, startSimulator } from 'oneaccess-simulator';
import { Agent, request } from 'undici';
import { EchoUpstream } from './helpers/echo-upstream';
import { simControl } from './helpers/flows';
import {
  GatewayProcess,
  productionClientSecret,
  sharedProductionEnv,
  startGatewayProcess,
} from './helpers/gateway-process';
import { TestRedisServer } from './helpers/redis-server';
import { waitFor } from './helpers/wait-for';

const REFRESH_ID_TOKEN = '/api/v2/sdk/session-token/refresh-id-token';
const REFRESH_SESSION_TOKEN = '/api/v2/tenant/sso/session-token/refresh';
const MARGIN_S = 1;

interface JournalEntry {
  method: string;
  path: string;
  status: number;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/**
 * The session cookie a browser keeps from a response: Set-Cookie lines apply in order, so the
 * last one for the name wins (a response may first expire the old cookie, then set the new one).
 */
function sessionCookieFrom(setCookie: string | string[] | undefined): string | undefined {
  const lines = ([] as string[]).concat(setCookie ?? []).filter((l) => l.startsWith('__Host-bff='));
  const last = lines.at(-1);
  return last && !/expires=Thu, 01 Jan 1970/i.test(last) ? last.split(';')[0] : undefined;
}

/** The `exp` of a JWT in epoch ms (test-side reading, no verification). */
function expMs(jwt: string): number {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as {
    exp: number;
  };
  return payload.exp * 1000;
}

/**
 * docs/api.md section 5 "Concurrent requests of one session, on one or many instances, cause
 * exactly one refresh", proved with two real gateway processes (`node dist/main.js`, production
 * mode) on one Redis, and the simulator's journal as the witness. Also docs/security.md check 26:
 * a refused refresh ends the session (401 SESSION_EXPIRED, then ANONYMOUS everywhere); an outage
 * answers 503 and the session survives. The refresher's lock, poll and merge one by one:
 * src/modules/tokens/token-refresher.spec.ts.
 */
describe('token refresh across two gateway processes (contract section 5)', () => {
  let redis: TestRedisServer | undefined;
  let redisUrl: string;
  let sim: RunningSimulator;
  let upstream: EchoUpstream;
  let a: GatewayProcess;
  let b: GatewayProcess;
  const http = new Agent({ connections: 64 });

  async function send(
    gw: GatewayProcess,
    method: 'GET' | 'POST',
    path: string,
    opts: { cookie?: string; json?: unknown } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) jest',
    };
    if (opts.cookie) headers.cookie = opts.cookie;
    if (method !== 'GET') {
      headers['x-csrf'] = '1';
      headers.origin = 'http://localhost:3000';
    }
    if (opts.json !== undefined) headers['content-type'] = 'application/json';
    const res = await request(`${gw.url}${path}`, {
      method,
      headers,
      body: opts.json === undefined ? undefined : JSON.stringify(opts.json),
      dispatcher: http,
    });
    const text = await res.body.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.statusCode, headers: res.headers, body };
  }

  /** Signs zhangsan in through `gw`; returns the cookie pair to send (the cookie is Secure, so we do). */
  async function login(gw: GatewayProcess): Promise<string> {
    const res = await send(gw, 'POST', '/auth/login/password', {
      json: { user_name: 'zhangsan', password: 'Passw0rd!2024' },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('SUCCESS');
    const cookie = sessionCookieFrom(res.headers['set-cookie']);
    expect(cookie).toBeDefined();
    return cookie!;
  }

  /** The id_tokens the simulator has issued, oldest first. */
  async function issuedIdTokens(): Promise<string[]> {
    const issued = await simControl<{ tokens: { kind: string; value: string }[] }>(
      sim,
      'GET',
      'issued-tokens',
    );
    return issued.tokens.filter((t) => t.kind === 'id_token').map((t) => t.value);
  }

  const journal = () => simControl<JournalEntry[]>(sim, 'GET', 'journal');
  const seenFor = (tag: string) =>
    upstream.seen.filter((s) => s.url.includes(`/${tag}?`)).map((s) => s.headers.authorization);

  beforeAll(async () => {
    redisUrl = process.env.REDIS_URL ?? '';
    if (!redisUrl) {
      redis = await new TestRedisServer().start();
      redisUrl = redis.url;
    }
    sim = await startSimulator({
      port: 0,
      control: true,
      clientSecret: productionClientSecret(),
      lifetimes: { idToken: 4 },
    });
    upstream = await new EchoUpstream().start();
    const env = {
      ...sharedProductionEnv({
        redisUrl,
        simulator: sim,
        keyPrefix: `r${randomBytes(4).toString('hex')}:`,
      }),
      TOKEN_REFRESH_MARGIN_S: String(MARGIN_S),
      API_ROUTES: JSON.stringify({ echo: { target: `${upstream.url}/svc`, token: 'id_token' } }),
      // 50 concurrent calls of one session on purpose: above the per-session default of 16.
      RELAY_MAX_CONCURRENT_PER_SESSION: '64',
    };
    [a, b] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 60_000);

  afterAll(async () => {
    const exits = await Promise.all([a?.stop(), b?.stop()]);
    await upstream?.close();
    await sim?.close();
    await redis?.stop();
    await http.close();
    // Both processes stopped by themselves on SIGTERM (none had to be killed).
    for (const exit of exits) if (exit) expect(exit.signal).not.toBe('SIGKILL');
  });

  afterEach(async () => {
    await simControl(sim, 'POST', 'failure', { mode: 'none' });
  });

  it('should refresh an expired id_token exactly once for 50 concurrent calls spread over both processes', async () => {
    const cookie = await login(a);
    // Before expiry both processes relay the login's id_token: one session, shared through Redis.
    const [warmA, warmB] = await Promise.all([
      send(a, 'GET', '/api/echo/warm?p=a', { cookie }),
      send(b, 'GET', '/api/echo/warm?p=b', { cookie }),
    ]);
    expect([warmA.status, warmB.status]).toEqual([200, 200]);
    const before = seenFor('warm');
    expect(new Set(before).size).toBe(1);
    const oldToken = before[0]!.replace(/^Bearer /, '');
    expect(await issuedIdTokens()).toContain(oldToken);

    // Wait on the clock alone: any call to the gateway now could refresh early.
    const expiresAt = expMs(oldToken);
    await waitFor(() => Date.now() >= expiresAt, 6000, 'the id_token to expire');
    await simControl(sim, 'DELETE', 'journal');

    const started = performance.now();
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        send(i % 2 === 0 ? a : b, 'GET', `/api/echo/burst?n=${i}`, { cookie }),
      ),
    );
    const burstMs = Math.round(performance.now() - started);

    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
    const refreshes = (await journal()).filter((e) => e.path === REFRESH_ID_TOKEN);
    expect(refreshes).toEqual([expect.objectContaining({ method: 'POST', status: 200 })]);

    const seen = seenFor('burst');
    expect(seen).toHaveLength(50);
    expect(new Set(seen).size).toBe(1);
    const newToken = seen[0]!.replace(/^Bearer /, '');
    expect(newToken).not.toBe(oldToken);
    expect((await issuedIdTokens()).at(-1)).toBe(newToken);
    expect(expMs(newToken)).toBeGreaterThan(expiresAt);

    // Each process logs the refreshes it made: one in all.
    const refreshLogs = () =>
      (a.output() + b.output()).match(/"audit":"token_refreshed"/g)?.length ?? 0;
    await waitFor(() => refreshLogs() >= 1, 2000, 'the refresh log line');
    expect(refreshLogs()).toBe(1);
    console.log(
      `50 relayed calls over 2 processes after id_token expiry: ${burstMs} ms, 1 refresh`,
    );
  });

  it('should end the session with 401 SESSION_EXPIRED when OneAccess refuses the refresh', async () => {
    await simControl(sim, 'PATCH', 'config', { lifetimes: { idToken: 2 } });
    // Two sessions: one to look at afterwards, one whose browser signs in again with the old cookie.
    const cookie = await login(a);
    const other = await login(b);
    const lastExpiry = Math.max(...(await issuedIdTokens()).slice(-2).map(expMs));
    await waitFor(() => Date.now() >= lastExpiry, 4000, 'the id_tokens to expire');
    await simControl(sim, 'POST', 'failure', { mode: 'refuse_refresh' });
    await simControl(sim, 'DELETE', 'journal');

    for (const [gw, c] of [
      [b, cookie],
      [a, other],
    ] as const) {
      const res = await send(gw, 'GET', '/api/echo/refused?n=1', { cookie: c });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'SESSION_EXPIRED' });
      expect(res.headers.location).toBeUndefined();
    }
    const refused = (await journal()).filter((e) => e.path === REFRESH_ID_TOKEN);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.every((e) => e.status === 400)).toBe(true);
    expect(seenFor('refused')).toEqual([]);
    await simControl(sim, 'POST', 'failure', { mode: 'none' });

    // The session is over on every process, and the relay does not bring it back.
    for (const gw of [a, b]) {
      const view = await send(gw, 'GET', '/auth/session', { cookie });
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ authenticated: false, status: 'ANONYMOUS' });
    }
    expect((await send(a, 'GET', '/api/echo/refused?n=2', { cookie })).status).toBe(401);
    expect(seenFor('refused')).toEqual([]);

    // The SPA shows its login form; the browser still sends the dead cookie with the new login.
    const relogin = await send(b, 'POST', '/auth/login/password', {
      cookie: other,
      json: { user_name: 'zhangsan', password: 'Passw0rd!2024' },
    });
    expect(relogin.status).toBe(200);
    expect(relogin.body.status).toBe('SUCCESS');
    const fresh = sessionCookieFrom(relogin.headers['set-cookie']);
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(other);
    expect((await send(a, 'GET', '/api/echo/refused?n=3', { cookie: fresh })).status).toBe(200);
  });

  it('should answer 503 and keep the session when OneAccess is down during the refresh', async () => {
    await simControl(sim, 'PATCH', 'config', { lifetimes: { idToken: 2 } });
    const cookie = await login(b);
    const oldToken = (await issuedIdTokens()).at(-1)!;
    await waitFor(() => Date.now() >= expMs(oldToken), 4000, 'the id_token to expire');
    await simControl(sim, 'POST', 'failure', { mode: 'down' });

    for (const gw of [a, b]) {
      const res = await send(gw, 'GET', '/api/echo/outage?n=1', { cookie });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    }
    expect(seenFor('outage')).toEqual([]);

    await simControl(sim, 'POST', 'failure', { mode: 'none' });
    await simControl(sim, 'DELETE', 'journal');
    const res = await send(a, 'GET', '/api/echo/outage?n=2', { cookie });
    expect(res.status).toBe(200);
    const [bearer] = seenFor('outage');
    expect(bearer).toMatch(/^Bearer eyJ/);
    expect(bearer).not.toBe(`Bearer ${oldToken}`);
    expect((await journal()).filter((e) => e.path === REFRESH_ID_TOKEN)).toHaveLength(1);
    const view = await send(b, 'GET', '/auth/session', { cookie });
    expect(view.body).toMatchObject({ authenticated: true, status: 'SUCCESS' });
  });

  it('should refresh a session_token near its expiry exactly once through the SSO refresh', async () => {
    const lifetimeS = 3;
    await simControl(sim, 'PATCH', 'config', {
      lifetimes: { sessionToken: lifetimeS, idToken: 60 },
    });
    const loginStarted = Date.now();
    const cookie = await login(a);
    const loggedIn = Date.now();
    // The gateway dates the session_token's expiry between these two instants.
    expect(loggedIn - loginStarted).toBeLessThan(600);
    const warm = await send(b, 'GET', '/api/echo/sso-warm?n=0', { cookie });
    expect(warm.status).toBe(200);
    const [oldBearer] = seenFor('sso-warm');

    // Inside the margin for the gateway, still alive at the simulator.
    const staleFrom = loggedIn + (lifetimeS - MARGIN_S) * 1000 + 50;
    await waitFor(() => Date.now() >= staleFrom, 5000, 'the session_token to enter the margin');
    await simControl(sim, 'DELETE', 'journal');

    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send(i % 2 === 0 ? a : b, 'GET', `/api/echo/sso?n=${i}`, { cookie }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
    const calls = await journal();
    expect(calls.filter((e) => e.path === REFRESH_SESSION_TOKEN)).toEqual([
      expect.objectContaining({ method: 'POST', status: 200 }),
    ]);
    expect(calls.filter((e) => e.path === REFRESH_ID_TOKEN)).toEqual([]);
    const seen = seenFor('sso');
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0]).not.toBe(oldBearer);
    expect((await issuedIdTokens()).at(-1)).toBe(seen[0]!.replace(/^Bearer /, ''));
  });
});
