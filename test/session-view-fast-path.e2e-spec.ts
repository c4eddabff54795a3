import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SessionCipher } from '../src/common/crypto/session-cipher';
import { ANONYMOUS_VIEW } from '../src/modules/auth/session-view';
import { BrowserClient } from './helpers/browser-client';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { signedSessionCookie } from './helpers/session-cookie';
import { waitFor } from './helpers/wait-for';
import { mfaLogin, passwordLogin, PASSWORD, USERS } from './security/helpers';

const SECRET = 'fast-path-session-secret-0123456789abcdef';
const KEY = randomBytes(32);
const COOKIE = '__Host-bff';
/** Headers that differ between any two answers, whoever writes them. */
const PER_ANSWER = new Set(['date', 'x-request-id', 'content-length', 'connection', 'keep-alive']);

/**
 * GET /auth/session answered ahead of Express (SessionViewHandler): one Redis GET for a signed-in
 * session, nothing for a missing or forged cookie, and every other case handed to the Nest route
 * with the same answer as before.
 */
describe('the session view fast path', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack({
      ownRedis: true,
      env: {
        SESSION_SECRETS: SECRET,
        SESSION_ENCRYPTION_KEYS: KEY.toString('base64'),
        SESSION_IDLE_TIMEOUT_S: '3',
        REDIS_TIMEOUT_MS: '300',
      },
      simulator: { smsResendIntervalS: 0 },
    });
  });
  afterAll(() => stack?.close());

  /** Redis commands the gateway ran while `action` did, by name (INFO itself left out). */
  async function commandsDuring(action: () => Promise<unknown>): Promise<Record<string, number>> {
    const redis = stack.redisServer!.client();
    const calls = async () => {
      const out: Record<string, number> = {};
      for (const m of (await redis.info('commandstats')).matchAll(/^cmdstat_(\w+):calls=(\d+)/gm))
        out[m[1]] = Number(m[2]);
      return out;
    };
    try {
      const before = await calls();
      await action();
      const after = await calls();
      const delta: Record<string, number> = {};
      for (const [name, n] of Object.entries(after)) {
        if (name !== 'info' && n > (before[name] ?? 0)) delta[name] = n - (before[name] ?? 0);
      }
      return delta;
    } finally {
      redis.disconnect();
    }
  }

  const sessionIdOf = (b: BrowserClient) =>
    decodeURIComponent(b.cookies.get(COOKIE)!)
      .slice(2)
      .replace(/\.[^.]*$/, '');

  const headersOf = (res: { headers: Record<string, unknown> }) =>
    Object.fromEntries(Object.entries(res.headers).filter(([k]) => !PER_ANSWER.has(k)));

  it('should answer a signed-in view with one Redis GET and the headers of the Nest route', async () => {
    const b = new BrowserClient(stack.gateway.url);
    const login = await b.post('/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    let view: Awaited<ReturnType<BrowserClient['get']>> | undefined;
    const commands = await commandsDuring(async () => {
      view = await b.get('/auth/session?slide=false');
    });
    expect(commands).toEqual({ get: 1 });
    expect(view!.status).toBe(200);
    expect(view!.body).toEqual(login.body);
    expect(view!.body).toMatchObject({ authenticated: true, status: 'SUCCESS' });
    expect(view!.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(view!.setCookie).toEqual([]);

    // A genuine cookie naming no session goes through Nest: same headers, anonymous view.
    const nest = await request(stack.gateway.url)
      .get('/auth/session')
      .set('Cookie', signedSessionCookie(COOKIE, 'no-such-session-0123456789abcdef', SECRET));
    expect(nest.body.status).toBe('ANONYMOUS');
    expect(headersOf(view!)).toEqual(headersOf(nest));
    expect(headersOf(view!)).toMatchObject({
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
    });
  });

  it('should answer anonymous without touching Redis when the cookie is missing or forged', async () => {
    const b = await passwordLogin(stack.gateway.url);
    const forged = signedSessionCookie(COOKIE, sessionIdOf(b), `${SECRET}-not-ours`);
    const answers: request.Response[] = [];
    const commands = await commandsDuring(async () => {
      answers.push(await request(stack.gateway.url).get('/auth/session'));
      answers.push(await request(stack.gateway.url).get('/auth/session').set('Cookie', forged));
    });
    expect(commands).toEqual({});
    for (const res of answers) {
      expect(res.status).toBe(200);
      // The contract's literal anonymous view is asserted in request-hygiene.e2e-spec.ts.
      expect(res.body).toEqual(ANONYMOUS_VIEW);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('should show a pending step, also one a signed-in session started', async () => {
    const { browser: step } = await stepOf('lisi');
    expect((await step.get('/auth/session')).body.status).toBe('MFA_AUTH');

    const b = await passwordLogin(stack.gateway.url);
    const second = await b.post('/auth/login/password', {
      user_name: USERS.mfa.user_name,
      password: PASSWORD,
    });
    expect(second.body.status).toBe('MFA_AUTH');
    const view = await b.get('/auth/session?slide=false');
    expect(view.body).toMatchObject({ status: 'MFA_AUTH', authenticated: false });
    expect(view.body.pending.mobile).toBe(second.body.pending.mobile);
    // Completing the step signs the browser in as the new user, seen by the fast path.
    const done = await mfaLogin(stack.gateway.url, stack.simulator, b);
    expect((await done.browser.get('/auth/session')).body.user.id).toBe(USERS.mfa.id);
  });

  it('should end a timed-out session through the full path: anonymous, both records gone', async () => {
    const b = await passwordLogin(stack.gateway.url);
    const sid = sessionIdOf(b);
    const redis = stack.redisServer!.client();
    try {
      expect(await redis.exists(`${stack.keyPrefix}cred:${sid}`)).toBe(1);
      await waitFor(
        async () => (await b.get('/auth/session?slide=false')).body.status === 'ANONYMOUS',
        8000,
        'the idle timeout to end the session',
      );
      expect(
        await redis.exists(`${stack.keyPrefix}cred:${sid}`, `${stack.keyPrefix}sess:${sid}`),
      ).toBe(0);
    } finally {
      redis.disconnect();
    }
    expect(b.cookies.has(COOKIE)).toBe(false);
  });

  it('should record activity once per touch interval, and never for ?slide=false', async () => {
    const b = await passwordLogin(stack.gateway.url);
    const t = Date.now();
    // The touch interval is a tenth of the 3 s idle timeout.
    await waitFor(() => Date.now() > t + 400, 2000, 'the touch interval');
    expect(await commandsDuring(() => b.get('/auth/session?slide=false'))).toEqual({ get: 1 });
    const before = (await b.get('/auth/session?slide=false')).body.idle_expires_at;
    // The compare-and-set script's own GET and SET count too: one GET and one EVAL from the gateway.
    expect(await commandsDuring(() => b.get('/auth/session'))).toEqual({ get: 2, eval: 1, set: 1 });
    expect(await commandsDuring(() => b.get('/auth/session?slide=true'))).toEqual({ get: 1 });
    const after = (await b.get('/auth/session?slide=false')).body.idle_expires_at;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));
  });

  it('should read a credential record of the earlier text format and rewrite it compactly', async () => {
    const sid = randomBytes(24).toString('base64url');
    const key = `${stack.keyPrefix}cred:${sid}`;
    const now = Date.now();
    const credential = {
      user: { id: 'u-old', user_name: 'old', name: 'Old', mobile: '13800000009', email: 'o@x.cn' },
      login_method: 'password',
      fingerprint: 'f'.repeat(32),
      created_at: now - 1000,
      last_seen_at: now - 1000,
      ip: '127.0.0.1',
      user_agent: 'test',
      tokens: { session_token: 'st-old', id_token: 'a.b.c' },
    };
    const redis = stack.redisServer!.client();
    try {
      // `<version>|g1.<kid>.<iv>.<ciphertext>` of JSON, as the previous release wrote it.
      const old = `3|${new SessionCipher([KEY]).encrypt(JSON.stringify(credential), sid)}`;
      await redis.set(key, old, 'EX', 600);
      const b = new BrowserClient(stack.gateway.url);
      b.cookies.set(COOKIE, signedSessionCookie(COOKIE, sid, SECRET).split('=')[1]);
      const view = await b.get('/auth/session');
      expect(view.body).toMatchObject({ status: 'SUCCESS', user: { id: 'u-old' } });
      // The activity write (a second since last seen, past the touch interval) stored version 4 in the binary form.
      const rewritten = (await redis.getBuffer(key))!;
      expect(rewritten.subarray(0, 3).toString()).toBe('4|\u0002');
      expect(rewritten.length).toBeLessThan(old.length);
      expect((await b.get('/auth/session?slide=false')).body).toEqual(view.body);
    } finally {
      redis.disconnect();
    }
  });

  it('should leave an invalid query to the Nest route', async () => {
    const b = await passwordLogin(stack.gateway.url);
    const res = await b.get('/auth/session?slide=maybe');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('should answer 503 SESSION_STORE_UNAVAILABLE in the contract shape while Redis is down', async () => {
    const b = await passwordLogin(stack.gateway.url);
    await stack.redisServer!.stop();
    const res = await b.get('/auth/session');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      code: 'SESSION_STORE_UNAVAILABLE',
      message: expect.any(String),
      request_id: res.headers['x-request-id'],
    });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  /** A browser left at the MFA step of `user_name`. */
  async function stepOf(user_name: string): Promise<{ browser: BrowserClient }> {
    const browser = new BrowserClient(stack.gateway.url);
    const res = await browser.post('/auth/login/password', { user_name, password: PASSWORD });
    expect(res.body.status).toBe('MFA_AUTH');
    return { browser };
  }
});
