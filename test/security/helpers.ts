import Redis from 'ioredis';
import request from 'supertest';
import type { RunningSimulator } from 'oneaccess-simulator';
import { BrowserClient, Reply } from '../helpers/browser-client';
import { EchoUpstream } from '../helpers/echo-upstream';
import { sendCode } from '../helpers/flows';
import { GatewayStack, StackOptions, startGatewayStack } from '../helpers/gateway-stack';

/**
 * Shared pieces of the security suite (docs/security.md): one stack per file, with an echo
 * upstream behind the relay and the admin API on, plus the flows most checks start from.
 */

/** Every seed user's password (simulator/seed/default-seed.json). */
export const PASSWORD = 'Passw0rd!2024';
export const ORIGIN = 'http://localhost:3000';
export const COOKIE = '__Host-bff';
export const TX_COOKIE = '__Host-bff-oauth';
export const ADMIN_TOKEN = 'security-suite-admin-token-0123456789abcdef';

export const USERS = {
  plain: {
    user_name: 'zhangsan',
    id: '20210621095935811-5E16-6B3060ABC',
    mobile: '13800000001',
    email: 'zhangsan@example.com',
  },
  mfa: { user_name: 'lisi', id: '20210621095935822-7A21-1C4D5E6F7', mobile: '13800000002' },
  warn: { user_name: 'wangwu', mobile: '13800000003' },
  expired: { user_name: 'zhaoliu', mobile: '13800000004' },
  denied: { user_name: 'sunqi', mobile: '13800000005' },
  other: { user_name: 'zhouba', id: '20210621095935866-BE65-508192A3B', mobile: '13800000006' },
  spare: { user_name: 'wujiu', mobile: '13800000007' },
} as const;

export interface SecurityStack extends GatewayStack {
  upstream: EchoUpstream;
  url: string;
  /** The environment another gateway instance needs to share this one's Redis, OneAccess and routes. */
  env: Record<string, string>;
  browser(origin?: string): BrowserClient;
  /** The admin API's bearer header. */
  admin(): { Authorization: string };
}

/**
 * Redis, the simulator and the gateway (startGatewayStack), plus an echo upstream behind four
 * relay routes: `byid` (id_token), `byaccess` (access_token), `open` (no credential) and
 * `readonly` (id_token, GET only).
 */
export async function startSecurityStack(options: StackOptions = {}): Promise<SecurityStack> {
  const upstream = await new EchoUpstream().start();
  const routesEnv = {
    ADMIN_TOKEN,
    API_ROUTES: JSON.stringify({
      byid: { target: `${upstream.url}/i`, token: 'id_token', forward_headers: ['x-custom'] },
      byaccess: { target: `${upstream.url}/a`, token: 'access_token' },
      open: { target: `${upstream.url}/o`, token: 'none', forward_headers: ['x-custom'] },
      readonly: { target: `${upstream.url}/r`, token: 'id_token', methods: ['GET'] },
    }),
  };
  let stack: GatewayStack;
  try {
    stack = await startGatewayStack({
      ...options,
      env: { ...routesEnv, ...options.env },
      simulator: { oauthAuthorize: 'auto', smsResendIntervalS: 0, ...options.simulator },
    });
  } catch (err) {
    await upstream.close();
    throw err;
  }
  return {
    ...stack,
    upstream,
    url: stack.gateway.url,
    env: Object.fromEntries(
      Object.entries({
        ...routesEnv,
        ...options.env,
        REDIS_URL: stack.redisUrl,
        REDIS_KEY_PREFIX: stack.keyPrefix,
        ONEACCESS_BASE_URL: stack.simulator.url,
        ONEACCESS_CLIENT_ID: stack.simulator.clientId,
        ONEACCESS_CLIENT_SECRET: stack.simulator.clientSecret,
      }).filter((e): e is [string, string] => e[1] !== undefined),
    ),
    browser: (origin = ORIGIN) => new BrowserClient(stack.gateway.url, [], origin),
    admin: () => ({ Authorization: `Bearer ${ADMIN_TOKEN}` }),
    async close() {
      await stack.close();
      await upstream.close();
    },
  };
}

/** The same browser (its cookies) pointed at another gateway instance. */
export function sameBrowserOn(url: string, browser: BrowserClient): BrowserClient {
  const moved = new BrowserClient(url);
  for (const [k, v] of browser.cookies) moved.cookies.set(k, v);
  return moved;
}

/** Signs a fresh browser in with a password; fails the test unless the login succeeds. */
export async function passwordLogin(
  url: string,
  user_name: string = USERS.plain.user_name,
  browser = new BrowserClient(url),
): Promise<BrowserClient> {
  const res = await browser.post('/auth/login/password', { user_name, password: PASSWORD });
  if (res.body?.status !== 'SUCCESS')
    throw new Error(`login of ${user_name}: ${res.status} ${JSON.stringify(res.body)}`);
  return browser;
}

/**
 * The full two-factor login of `lisi`: password, MFA step, captcha, SMS code. Returns the
 * browser and the cookie it held during the MFA step (before the session id changed).
 */
export async function mfaLogin(
  url: string,
  sim: RunningSimulator,
  browser = new BrowserClient(url),
): Promise<{ browser: BrowserClient; stepCookie: string; code: string; last: Reply }> {
  const first = await browser.post('/auth/login/password', {
    user_name: USERS.mfa.user_name,
    password: PASSWORD,
  });
  if (first.body?.status !== 'MFA_AUTH')
    throw new Error(`expected MFA_AUTH: ${JSON.stringify(first.body)}`);
  const stepCookie = browser.cookies.get(COOKIE)!;
  const code = await sendCode(browser, sim, USERS.mfa.mobile, 'mfa', true);
  const last = await browser.post('/auth/mfa/sms', { verify_code: code });
  if (last.body?.status !== 'SUCCESS')
    throw new Error(`MFA: ${last.status} ${JSON.stringify(last.body)}`);
  return { browser, stepCookie, code, last };
}

export interface OAuthRun {
  browser: BrowserClient;
  /** The `state` the gateway put in the authorize URL. */
  state: string;
  /** The authorize URL (at the simulator) and the callback URL it sent the browser back to. */
  authorize: URL;
  callback: URL;
  /** The gateway's answer to the callback. */
  done: request.Response;
  txCookie: string;
}

/**
 * The OAuth redirect login as a browser runs it: /auth/oauth/login, the simulator's authorize
 * (auto-approving), the callback with the transaction cookie. `headers` go on the gateway calls.
 */
export async function oauthLogin(
  url: string,
  returnTo = '/home',
  headers: Record<string, string> = {},
  cookie = COOKIE,
): Promise<OAuthRun> {
  const txName = `${cookie}-oauth`;
  const start = await request(url)
    .get('/auth/oauth/login')
    .query({ return_to: returnTo })
    .set(headers);
  if (start.status !== 302) throw new Error(`oauth login: ${start.status} ${start.text}`);
  const authorize = new URL(start.headers.location);
  const txLine = setCookieLines(start).find((c) => c.startsWith(`${txName}=`));
  if (!txLine) throw new Error('no transaction cookie');
  const txCookie = txLine.split(';')[0];
  const approved = await fetch(authorize, { redirect: 'manual' });
  const callback = new URL(approved.headers.get('location')!);
  const done = await request(url)
    .get(callback.pathname + callback.search)
    .set(headers)
    .set('Cookie', txCookie);
  const browser = new BrowserClient(url);
  const session = setCookieLines(done).find((c) => c.startsWith(`${cookie}=`));
  if (session) browser.cookies.set(cookie, session.split(';')[0].slice(cookie.length + 1));
  return {
    browser,
    state: authorize.searchParams.get('state')!,
    authorize,
    callback,
    done,
    txCookie,
  };
}

/** Every Set-Cookie line of a response. */
export function setCookieLines(res: { headers: Record<string, unknown> }): string[] {
  return ([] as string[]).concat(
    (res.headers['set-cookie'] as string[] | string | undefined) ?? [],
  );
}

export interface ParsedCookie {
  name: string;
  value: string;
  /** Attribute names in lower case; flags map to ''. */
  attrs: Map<string, string>;
}

export function parseSetCookie(line: string): ParsedCookie {
  const [pair, ...rest] = line.split(';');
  const eq = pair.indexOf('=');
  const attrs = new Map<string, string>();
  for (const a of rest) {
    const i = a.indexOf('=');
    const k = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
    attrs.set(k, i < 0 ? '' : a.slice(i + 1).trim());
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attrs };
}

/** The session id inside a session cookie value (`s:<id>.<hmac>`, URL-encoded). */
export function rawSessionId(cookieValue: string): string {
  const v = decodeURIComponent(cookieValue);
  return v.slice(2, v.lastIndexOf('.'));
}

export interface Issued {
  kind: string;
  value: string;
}

/**
 * Every secret the simulator issued, except the captcha `token`, which the browser must see and
 * echo (docs/api.md section 1).
 */
export async function issuedSecrets(sim: RunningSimulator): Promise<Issued[]> {
  const res = await fetch(`${sim.url}/__sim/issued-tokens`);
  const { tokens } = (await res.json()) as { tokens: Issued[] };
  return tokens.filter((t) => t.kind !== 'captcha');
}

/**
 * Whether `text` contains `secret`. Six-digit SMS codes are looked for as whole tokens (not
 * inside longer digit or letter runs such as ids, hashes or epoch times), so that a chance
 * match inside an unrelated number does not count.
 */
export function containsSecret(text: string, secret: Issued): boolean {
  if (secret.kind === 'sms_code')
    return new RegExp(`(?<![0-9A-Za-z])${secret.value}(?![0-9A-Za-z])`).test(text);
  return text.includes(secret.value);
}

export interface RedisEntry {
  key: string;
  type: string;
  /** The value(s) as stored: a string, a set's or list's members, a zset's members and scores. */
  values: string[];
  ttl: number;
}

/** Every key under `prefix` with its value(s), read according to its type. */
export async function dumpRedis(redisUrl: string, prefix: string): Promise<RedisEntry[]> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    const entries: RedisEntry[] = [];
    for (const key of [...new Set(keys)].sort()) {
      const type = await redis.type(key);
      let values: string[];
      switch (type) {
        case 'string':
          values = [(await redis.get(key)) ?? ''];
          break;
        case 'zset':
          values = await redis.zrange(key, 0, -1, 'WITHSCORES');
          break;
        case 'hash':
          values = Object.entries(await redis.hgetall(key)).flat();
          break;
        case 'list':
          values = await redis.lrange(key, 0, -1);
          break;
        case 'set':
          values = await redis.smembers(key);
          break;
        default:
          values = [];
      }
      entries.push({ key, type, values, ttl: await redis.ttl(key) });
    }
    return entries;
  } finally {
    redis.disconnect();
  }
}

export interface CookieLine {
  /** The request that answered with it, e.g. `POST /auth/login/password`. */
  where: string;
  line: string;
  cookie: ParsedCookie;
}

/**
 * Every Set-Cookie line the gateway sends in the flows that set or clear cookies: a pre-login
 * session, password, MFA, expired-password and social logins, the OAuth start and callback, and
 * logout. The cookie checks (docs/security.md 1-5, 8) assert over all of them.
 */
export async function cookieRun(stack: SecurityStack): Promise<CookieLine[]> {
  const recorded: import('../helpers/browser-client').Recorded[] = [];
  const b = () => new BrowserClient(stack.url, recorded);
  const pre = b();
  await pre.get('/auth/captcha');
  await passwordLogin(stack.url, USERS.plain.user_name, pre);
  await mfaLogin(stack.url, stack.simulator, b());
  const expired = b();
  await expired.post('/auth/login/password', {
    user_name: USERS.expired.user_name,
    password: PASSWORD,
  });
  await expired.post('/auth/password/update', {
    old_password: PASSWORD,
    new_password: 'N3wPassw0rd!x',
  });
  await b().post('/auth/login/social/wechat', { code: 'wx-code-zhangsan' });
  await pre.post('/auth/logout');
  const lines: CookieLine[] = [];
  for (const r of recorded)
    for (const line of setCookieLines(r))
      lines.push({ where: `${r.method} ${r.path}`, line, cookie: parseSetCookie(line) });
  const start = await request(stack.url).get('/auth/oauth/login');
  for (const line of setCookieLines(start))
    lines.push({ where: 'GET /auth/oauth/login', line, cookie: parseSetCookie(line) });
  const run = await oauthLogin(stack.url);
  for (const line of setCookieLines(run.done))
    lines.push({ where: 'GET /auth/oauth/callback', line, cookie: parseSetCookie(line) });
  return lines;
}

export interface Answer {
  what: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * One answer of every kind the gateway gives: JSON success and error from /auth (including
 * errors raised by middleware before any route), the OAuth redirects, health, metrics, the
 * admin API, the demo page and its script, and the relay (success, its own errors, an upstream
 * error). The header checks (docs/security.md 41-43) assert over all of them.
 */
export async function surveyAnswers(stack: SecurityStack): Promise<Answer[]> {
  const b = await passwordLogin(stack.url);
  const tx = await request(stack.url).get('/auth/oauth/login');
  const big = JSON.stringify({ user_name: 'x'.repeat(20 * 1024) });
  const calls: [string, () => request.Test][] = [
    [
      'GET /auth/session (signed in)',
      () => request(stack.url).get('/auth/session').set('Cookie', b.cookieHeader),
    ],
    ['GET /auth/profile (401)', () => request(stack.url).get('/auth/profile')],
    [
      'POST /auth/login/password (401)',
      () =>
        request(stack.url)
          .post('/auth/login/password')
          .set('X-CSRF', '1')
          .send({ user_name: 'zhangsan', password: 'wrong' }),
    ],
    ['POST /auth/logout (403 CSRF)', () => request(stack.url).post('/auth/logout')],
    [
      'POST /auth/login/password (415)',
      () =>
        request(stack.url)
          .post('/auth/login/password')
          .set('X-CSRF', '1')
          .set('Content-Type', 'text/plain')
          .send('x'),
    ],
    [
      'POST /auth/login/password (413)',
      () =>
        request(stack.url)
          .post('/auth/login/password')
          .set('X-CSRF', '1')
          .set('Content-Type', 'application/json')
          .send(big),
    ],
    ['GET /auth/nothing (404)', () => request(stack.url).get('/auth/nothing')],
    ['GET /nothing (404)', () => request(stack.url).get('/nothing-here.json')],
    ['GET /auth/oauth/login (302)', () => request(stack.url).get('/auth/oauth/login')],
    [
      'GET /auth/oauth/callback (302)',
      () =>
        request(stack.url)
          .get('/auth/oauth/callback?state=x&code=y')
          .set('Cookie', setCookieLines(tx)[0].split(';')[0]),
    ],
    ['GET /healthz', () => request(stack.url).get('/healthz')],
    ['GET /readyz', () => request(stack.url).get('/readyz')],
    ['GET /metrics', () => request(stack.url).get('/metrics')],
    [
      'GET /admin/sessions (401)',
      () => request(stack.url).get('/admin/sessions').query({ user_id: 'x' }),
    ],
    [
      'GET /admin/sessions',
      () =>
        request(stack.url)
          .get('/admin/sessions')
          .query({ user_id: USERS.plain.id })
          .set({ Authorization: `Bearer ${ADMIN_TOKEN}` }),
    ],
    ['GET / (demo page)', () => request(stack.url).get('/')],
    ['GET /app.js (demo script)', () => request(stack.url).get('/app.js')],
    [
      'GET /api/byid/x (relayed)',
      () => request(stack.url).get('/api/byid/x').set('Cookie', b.cookieHeader),
    ],
    [
      'GET /api/byid/status/500 (relayed upstream error)',
      () => request(stack.url).get('/api/byid/status/500').set('Cookie', b.cookieHeader),
    ],
    ['GET /api/byid/x (401)', () => request(stack.url).get('/api/byid/x')],
    [
      'GET /api/unknown/x (404)',
      () => request(stack.url).get('/api/unknown/x').set('Cookie', b.cookieHeader),
    ],
    [
      'POST /api/byid/x (403 CSRF)',
      () => request(stack.url).post('/api/byid/x').set('Cookie', b.cookieHeader),
    ],
  ];
  const answers: Answer[] = [];
  for (const [what, call] of calls) {
    const res = await call()
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    answers.push({ what, status: res.status, headers: res.headers, body: res.body as Buffer });
  }
  return answers;
}

/** A suite's security stack, and a Redis client on its Redis for the tests that inspect keys. */
export interface SecuritySuite {
  readonly stack: SecurityStack;
  /** Connected on first use, disconnected after the suite. */
  readonly redis: Redis;
}

/**
 * The hooks of a suite with one security stack: started before its tests, closed after them
 * (a Redis a test paused is resumed first). `options` are evaluated when the suite starts.
 */
export function useSecurityStack(options: StackOptions = {}): SecuritySuite {
  let stack: SecurityStack | undefined;
  let redis: Redis | undefined;
  beforeAll(async () => {
    stack = await startSecurityStack(options);
  });
  afterAll(async () => {
    redis?.disconnect();
    stack?.redisServer?.resume();
    await stack?.close();
  });
  return {
    get stack() {
      return stack!;
    },
    get redis() {
      redis ??= new Redis(this.stack.redisUrl);
      return redis;
    },
  };
}

/** A security stack plus one cookieRun over it, shared by the cookie checks (1–5, 8). */
export function useCookieRun(): { readonly stack: SecurityStack; readonly lines: CookieLine[] } {
  const suite = useSecurityStack();
  let lines: CookieLine[] = [];
  beforeAll(async () => {
    lines = await cookieRun(suite.stack);
  });
  return {
    get stack() {
      return suite.stack;
    },
    get lines() {
      return lines;
    },
  };
}
