import { RunningSimulator, startSimulator } from 'oneaccess-simulator';
import request from 'supertest';
import { BrowserClient } from './helpers/browser-client';
import { EchoUpstream } from './helpers/echo-upstream';
import {
  GatewayProcess,
  productionClientSecret,
  sharedProductionEnv,
  startGatewayProcess,
} from './helpers/gateway-process';
import { LogLine, logLinesOf } from './helpers/process-output';
import { TestRedisServer } from './helpers/redis-server';
import { PASSWORD, USERS } from './security/helpers';
import { REQUEST_LINE_KEYS } from '../src/common/logging/request-line';

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DEBUG = 20;

/**
 * One log vocabulary on the built gateway as production runs it: a relayed call, a session view
 * (the fast path) and an /auth call (Express) write request lines with the same keys in the same
 * order and one `msg`, the path only in `kind`; so does a CSRF refusal on each path (the relay,
 * Nest's /auth middleware, the front door), and their `csrf_rejected` audit lines have one shape,
 * built from the request's context; every `time` and the audit lines' `at` are one format; Nest's
 * wiring lines are at debug.
 */
describe('one log vocabulary', () => {
  let redis: TestRedisServer;
  let sim: RunningSimulator;
  let upstream: EchoUpstream;
  let gateway: GatewayProcess;
  let lines: LogLine[];
  let raw: string[];

  beforeAll(async () => {
    redis = await new TestRedisServer().start();
    sim = await startSimulator({ port: 0, control: true, clientSecret: productionClientSecret() });
    upstream = await new EchoUpstream().start();
    gateway = await startGatewayProcess({
      ...sharedProductionEnv({ redisUrl: redis.url, simulator: sim }),
      LOG_LEVEL: 'debug',
      API_ROUTES: JSON.stringify({ echo: { target: `${upstream.url}/e`, token: 'id_token' } }),
    });
    const browser = new BrowserClient(gateway.url);
    const login = await browser.post('/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    expect(login.body.status).toBe('SUCCESS');
    expect((await browser.get('/api/echo/x')).status).toBe(200);
    expect((await browser.get('/api/nope')).status).toBe(404);
    expect((await browser.get('/auth/session')).status).toBe(200);
    expect((await browser.get('/auth/profile')).status).toBe(200);
    expect((await new BrowserClient(gateway.url).get('/auth/profile')).status).toBe(401);
    // A forged call riding the signed-in cookie (no X-CSRF) on each path that refuses one: the
    // relay, the Nest middleware under /auth, the front door (a target Express cannot route).
    for (const path of ['/api/echo/x', '/auth/logout', '/auth/%zz']) {
      const forged = await request(gateway.url).post(path).set('Cookie', browser.cookieHeader);
      expect({ path, status: forged.status, code: forged.body.code }).toEqual({
        path,
        status: 403,
        code: 'CSRF_REJECTED',
      });
    }
    // The owner, meanwhile, is still signed in and still served.
    expect((await browser.get('/api/echo/after-forgery')).status).toBe(200);
    expect((await gateway.stop()).code).toBe(0);
    raw = gateway.output().split('\n');
    lines = logLinesOf(gateway.output());
  });
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await sim?.close();
    await redis?.stop();
  });

  const requestLines = () => lines.filter((l) => l.event === 'request');
  const one = (kind: string, path: string, status: number) => {
    const found = requestLines().filter(
      (l) => l.kind === kind && l.path === path && l.status === status,
    );
    expect({ kind, path, status, found: found.length }).toEqual({ kind, path, status, found: 1 });
    return found[0];
  };

  it('should write a relay call, a session view and an /auth call with the same keys in the same order', () => {
    const relay = one('relay', '/api/echo/x', 200);
    const relay404 = one('relay', '/api/nope', 404);
    const view = one('session_view', '/auth/session', 200);
    const auth = one('express', '/auth/profile', 200);
    const auth401 = one('express', '/auth/profile', 401);
    const login = one('express', '/auth/login/password', 200);
    for (const line of [relay, relay404, view, auth, auth401, login])
      expect(Object.keys(line)).toEqual(REQUEST_LINE_KEYS);
    expect(relay).toMatchObject({ route: 'echo', method: 'GET', level: 30 });
    expect(relay404).toMatchObject({ route: null, level: 40 });
    expect(view).toMatchObject({ route: '/auth/session' });
    expect(auth).toMatchObject({ route: '/auth/profile' });
    expect(auth401.level).toBe(40);
    // Every request line of the run, whichever path: one shape, one msg, no leftovers.
    const all = requestLines();
    expect(all.length).toBeGreaterThanOrEqual(6);
    for (const line of all) {
      expect(Object.keys(line)).toEqual(REQUEST_LINE_KEYS);
      expect(line.msg).toBe('request completed');
    }
    expect(lines.filter((l) => l.msg === 'request errored' || l.msg === 'request aborted')).toEqual(
      [],
    );
    expect(lines.filter((l) => l.event === 'relay' || l.event === 'session_view')).toEqual([]);
  });

  it('should write a CSRF refusal on every path with the same request-line keys', () => {
    const refusals = [
      one('relay', '/api/echo/x', 403),
      one('express', '/auth/logout', 403),
      one('front_door', '/auth/%zz', 403),
    ];
    for (const line of refusals) {
      expect(Object.keys(line)).toEqual(REQUEST_LINE_KEYS);
      expect(line).toMatchObject({ method: 'POST', level: 40, msg: 'request completed' });
    }
  });

  it('should write one csrf_rejected shape on every path, naming the request, session and client', () => {
    const audits = lines.filter((l) => l.audit === 'csrf_rejected');
    expect(audits).toHaveLength(3);
    const keys = audits.map((l) => Object.keys(l).sort());
    expect(keys[1]).toEqual(keys[0]);
    expect(keys[2]).toEqual(keys[0]);
    for (const key of ['request_id', 'reason', 'method', 'path', 'route', 'session', 'client'])
      expect(keys[0]).toContain(key);
    const refusals = {
      '/api/echo/x': one('relay', '/api/echo/x', 403),
      '/auth/logout': one('express', '/auth/logout', 403),
      '/auth/%zz': one('front_door', '/auth/%zz', 403),
    };
    for (const [path, requestLine] of Object.entries(refusals)) {
      const audit = audits.find((l) => l.path === path);
      expect(audit).toMatchObject({
        request_id: requestLine.request_id,
        reason: 'missing X-CSRF header',
        method: 'POST',
        route: path === '/api/echo/x' ? 'echo' : null,
      });
    }
    // One session, one client: the three lines tie to each other.
    expect(new Set(audits.map((l) => l.session)).size).toBe(1);
    expect(new Set(audits.map((l) => l.client)).size).toBe(1);
    // Each key once in the line as written (a bound logger must not add a second request_id).
    for (const text of raw.filter((l) => l.includes('"audit":"csrf_rejected"')))
      expect({ text, ids: text.split('"request_id":').length - 1 }).toEqual({ text, ids: 1 });
  });

  it('should write every time, and the audit lines’ at, in one format', () => {
    for (const line of lines)
      expect({ time: line.time }).toEqual({ time: expect.stringMatching(ISO_TIME) });
    const audit = lines.find((l) => l.audit === 'login_success')!;
    expect(audit.at).toMatch(ISO_TIME);
    // The same clock: the audit line of the login is written just before its request line.
    const login = one('express', '/auth/login/password', 200);
    expect(
      Math.abs(Date.parse(audit.at as string) - Date.parse(login.time as string)),
    ).toBeLessThan(5_000);
  });

  it("should log Nest's wiring (modules, routes) at debug, not at info", () => {
    const wiring = lines.filter((l) =>
      ['InstanceLoader', 'RoutesResolver', 'RouterExplorer'].includes(l.context as string),
    );
    expect(wiring.length).toBeGreaterThan(40);
    for (const line of wiring)
      expect({ msg: line.msg, level: line.level }).toEqual({ msg: line.msg, level: DEBUG });
    // At info (production's default) what is left of the start is a handful of lines.
    const beforeFirstRequest = lines.slice(0, lines.indexOf(requestLines()[0]));
    expect(beforeFirstRequest.filter((l) => (l.level as number) > DEBUG).length).toBeLessThan(10);
  });
});
