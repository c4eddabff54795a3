import { randomBytes } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import Redis from 'ioredis';
import request from 'supertest';
import { BrowserClient } from './helpers/browser-client';
import { createTestApp, TestApp } from './helpers/create-test-app';
import { simControl } from './helpers/flows';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';

const ORIGIN = 'http://localhost:3000';
const ZHANGSAN_ID = '20210621095935811-5E16-6B3060ABC';
const ADMIN_TOKEN = randomBytes(24).toString('base64url');
const LOGOUT_TARGET = 'https://portal.example.com/bye';

interface JournalEntry {
  method: string;
  path: string;
  status: number;
  headers: string[];
}

/**
 * The OIDC checks of the redirect login (contract section 4, "verification"), PKCE, client
 * authentication, both logout pages and the pre-login hardening, through the real flow: gateways
 * built like production, the simulator over HTTP as OneAccess, and a real Redis.
 */
describe('OIDC verification, PKCE, client authentication and the pre-login record', () => {
  let stack: GatewayStack;
  /** OAUTH_PKCE=false, client_secret_basic, issuer and JWKS URL configured, CAS logout. */
  let other: TestApp;
  /** A low per-address limit on starting redirect logins, addresses through TRUST_PROXY. */
  let limited: TestApp;

  beforeAll(async () => {
    stack = await startGatewayStack({
      env: { PUBLIC_ORIGIN: ORIGIN, ADMIN_TOKEN },
      simulator: { oauthAuthorize: 'auto', oauthAutoUser: 'zhangsan' },
    });
    const shared = {
      REDIS_URL: stack.redisUrl,
      PUBLIC_ORIGIN: ORIGIN,
      ONEACCESS_BASE_URL: stack.simulator.url,
      ONEACCESS_CLIENT_ID: stack.simulator.clientId,
      ONEACCESS_CLIENT_SECRET: stack.simulator.clientSecret,
    };
    other = await createTestApp({
      ...shared,
      REDIS_KEY_PREFIX: `${stack.keyPrefix}b:`,
      OAUTH_PKCE: 'false',
      ONEACCESS_CLIENT_AUTH: 'client_secret_basic',
      OAUTH_ISSUER: stack.simulator.url,
      OAUTH_JWKS_URL: `${stack.simulator.url}/api/v1/oauth2/jwks`,
      LOGOUT_STYLE: 'cas',
      LOGOUT_REDIRECT_URL: LOGOUT_TARGET,
    });
    limited = await createTestApp({
      ...shared,
      REDIS_KEY_PREFIX: `${stack.keyPrefix}c:`,
      TRUST_PROXY: 'loopback',
      RATE_LIMITS: JSON.stringify({ oauth_login_per_ip: 3 }),
    });
  });
  afterAll(async () => {
    await limited?.close();
    await other?.close();
    await stack?.close();
  });

  const sim = () => stack.simulator;
  const setSim = (options: Record<string, unknown>) =>
    simControl(sim(), 'PATCH', 'config', options);
  const journal = () => simControl<JournalEntry[]>(sim(), 'GET', 'journal');
  const clearJournal = () => simControl(sim(), 'DELETE', 'journal');

  /** The browser's part up to the callback: start at the gateway, approve at the simulator. */
  async function authorize(gateway: string, returnTo = '/home') {
    const start = await request(gateway).get('/auth/oauth/login').query({ return_to: returnTo });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.location);
    const txCookie = ([] as string[])
      .concat(start.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('__Host-bff-oauth='))!
      .split(';')[0];
    const approved = await fetch(location, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const back = new URL(approved.headers.get('location')!);
    return { location, txCookie, back, callback: back.pathname + back.search };
  }

  /** The whole login; `done` is the callback's answer, `session` the session cookie if any. */
  async function login(gateway: string, returnTo = '/home') {
    const flow = await authorize(gateway, returnTo);
    const done = await request(gateway).get(flow.callback).set('Cookie', flow.txCookie);
    expect(done.status).toBe(302);
    const session = ([] as string[])
      .concat(done.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('__Host-bff='));
    return { ...flow, done, session: session?.split(';')[0] };
  }

  async function sessionView(gateway: string, cookie: string) {
    const b = new BrowserClient(gateway);
    b.cookies.set('__Host-bff', cookie.split('=').slice(1).join('='));
    return (await b.get('/auth/session')).body as Record<string, unknown>;
  }

  it.each(['foreign-key', 'foreign-aud', 'foreign-iss', 'expired', 'wrong-nonce'])(
    'should refuse an id_token with %s and open no session',
    async (fault) => {
      await setSim({ oauthIdTokenFault: fault });
      try {
        const { done, session } = await login(stack.gateway.url);
        expect(done.headers.location).toBe(`${ORIGIN}/?auth_error=invalid_id_token`);
        expect(session).toBeUndefined();
      } finally {
        await setSim({ oauthIdTokenFault: 'none' });
      }
      // the same gateway still accepts a good token: nothing was poisoned by the bad one
      const good = await login(stack.gateway.url);
      expect(good.done.headers.location).toBe(`${ORIGIN}/home`);
    },
  );

  it('should send PKCE S256 and log in against an instance that requires it', async () => {
    await setSim({ oauthPkce: 'required' });
    try {
      const { location, done, session } = await login(stack.gateway.url, '/pkce');
      expect(location.searchParams.get('code_challenge_method')).toBe('S256');
      expect(location.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(done.headers.location).toBe(`${ORIGIN}/pkce`);
      expect(await sessionView(stack.gateway.url, session!)).toMatchObject({
        authenticated: true,
        login_method: 'oauth',
      });
      // OAUTH_PKCE=false sends none, which this instance refuses at authorize
      const refused = await login(other.url);
      expect(refused.back.searchParams.get('error')).toBe('invalid_request');
      expect(refused.done.headers.location).toBe(`${ORIGIN}/?auth_error=access_denied`);
    } finally {
      await setSim({ oauthPkce: 'optional' });
    }
  });

  it('should log in with OAUTH_PKCE=false against an instance that rejects PKCE', async () => {
    await setSim({ oauthPkce: 'off' });
    try {
      const { location, done, session } = await login(other.url, '/nopkce');
      expect(location.searchParams.has('code_challenge')).toBe(false);
      expect(location.searchParams.has('code_challenge_method')).toBe(false);
      expect(done.headers.location).toBe(`${ORIGIN}/nopkce`);
      expect(session).toBeDefined();
      // the default gateway sends PKCE, which this instance refuses
      const refused = await login(stack.gateway.url);
      expect(refused.done.headers.location).toBe(`${ORIGIN}/?auth_error=access_denied`);
    } finally {
      await setSim({ oauthPkce: 'optional' });
    }
  });

  it('should authenticate with client_secret_basic where the instance requires Basic', async () => {
    await setSim({ oauthClientAuth: 'basic' });
    try {
      await clearJournal();
      const { done, session } = await login(other.url, '/basic');
      expect(done.headers.location).toBe(`${ORIGIN}/basic`);
      expect(session).toBeDefined();
      const tokenCalls = (await journal()).filter((j) => j.path === '/api/v1/oauth2/token');
      expect(tokenCalls).toHaveLength(1);
      expect(tokenCalls[0].status).toBe(200);
      expect(tokenCalls[0].headers).toContain('authorization');
      // issuer and JWKS URL configured: the discovery document was never needed
      expect((await journal()).some((j) => j.path.includes('well-known'))).toBe(false);
      // the default (client_secret_post) is refused by this instance
      const refused = await login(stack.gateway.url);
      expect(refused.done.headers.location).toBe(`${ORIGIN}/?auth_error=login_refused`);
    } finally {
      await setSim({ oauthClientAuth: 'any' });
    }
  });

  it("should refuse a login whose userinfo `sub` is not the id_token's, and compare nothing without one", async () => {
    await setSim({ oauthIdTokenFault: 'foreign-sub', oauthUserinfoSub: true });
    try {
      const refused = await login(stack.gateway.url);
      expect(refused.done.headers.location).toBe(`${ORIGIN}/?auth_error=invalid_id_token`);
      expect(refused.session).toBeUndefined();
      // OneAccess documents userinfo without `sub`: then there is nothing to compare.
      await setSim({ oauthUserinfoSub: false });
      const { session } = await login(stack.gateway.url);
      expect(await sessionView(stack.gateway.url, session!)).toMatchObject({ authenticated: true });
    } finally {
      await setSim({ oauthIdTokenFault: 'none', oauthUserinfoSub: false });
    }
    // the same `sub` in both: the login completes
    await setSim({ oauthUserinfoSub: true });
    try {
      const { session } = await login(stack.gateway.url);
      expect(await sessionView(stack.gateway.url, session!)).toMatchObject({ authenticated: true });
    } finally {
      await setSim({ oauthUserinfoSub: false });
    }
  });

  it('should take the user id from `id` when userinfo has no `sub`', async () => {
    await setSim({ oauthUserinfoSub: false });
    const { session } = await login(stack.gateway.url);
    expect(await sessionView(stack.gateway.url, session!)).toMatchObject({
      authenticated: true,
      user: { user_name: 'zhangsan' },
    });
    const admin = await request(stack.gateway.url)
      .get('/admin/sessions')
      .query({ user_id: ZHANGSAN_ID })
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(admin.status).toBe(200);
    expect(
      (admin.body as { sessions: { user_id: string; login_method: string }[] }).sessions,
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ user_id: ZHANGSAN_ID, login_method: 'oauth' }),
      ]),
    );
  });

  it('should answer the CAS logout page with LOGOUT_STYLE=cas, which sends the browser on', async () => {
    const b = new BrowserClient(other.url);
    const res = await b.post('/auth/logout');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      logged_out: true,
      logout_url: `${sim().url}/api/v1/cas/logout?service=${encodeURIComponent(LOGOUT_TARGET)}`,
    });
    const followed = await fetch(res.body.logout_url as string, { redirect: 'manual' });
    expect(followed.status).toBe(302);
    expect(followed.headers.get('location')).toBe(LOGOUT_TARGET);
    // the default style stays the global logout
    const global = await new BrowserClient(stack.gateway.url).post('/auth/logout');
    expect(global.body).toEqual({ logged_out: true });
  });

  it('should leave a login in progress alone when a callback comes without its cookie', async () => {
    const { callback, txCookie } = await authorize(stack.gateway.url, '/kept');
    const bare = await request(stack.gateway.url).get(callback);
    expect(bare.headers.location).toBe(`${ORIGIN}/?auth_error=invalid_state`);
    expect(String(bare.headers['set-cookie'] ?? '')).not.toMatch(/__Host-bff/);
    const foreign = await request(stack.gateway.url)
      .get(callback)
      .set('Cookie', `__Host-bff-oauth=${randomBytes(32).toString('base64url')}`);
    expect(foreign.headers.location).toBe(`${ORIGIN}/?auth_error=invalid_state`);
    // the browser that started it still completes it
    const done = await request(stack.gateway.url).get(callback).set('Cookie', txCookie);
    expect(done.headers.location).toBe(`${ORIGIN}/kept`);
  });

  it('should keep the pre-login record encrypted in Redis', async () => {
    const returnTo = '/very/private/return-place';
    const start = await request(stack.gateway.url)
      .get('/auth/oauth/login')
      .query({ return_to: returnTo });
    const to = new URL(start.headers.location);
    const redis = new Redis(stack.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      const keys = await redis.keys(`${stack.keyPrefix}once:*`);
      expect(keys.length).toBeGreaterThan(0);
      const values = await Promise.all(keys.map((k) => redis.get(k)));
      const dump = keys.join('\n') + values.join('\n');
      for (const value of values) expect(value).toMatch(/^g1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+$/);
      for (const secret of [
        to.searchParams.get('state')!,
        to.searchParams.get('nonce')!,
        returnTo,
        'code_verifier',
        'nonce',
      ]) {
        expect(dump).not.toContain(secret);
      }
    } finally {
      redis.disconnect();
    }
  });

  it('should rate-limit starting redirect logins per client address', async () => {
    const from = (ip: string) =>
      request(limited.url).get('/auth/oauth/login').set('X-Forwarded-For', ip);
    for (let i = 0; i < 3; i++) expect((await from('203.0.113.7')).status).toBe(302);
    const over = await from('203.0.113.7');
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('RATE_LIMITED');
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(over.headers['set-cookie']).toBeUndefined();
    expect((await from('203.0.113.8')).status).toBe(302);
  });

  // Last: it changes the simulator's signing key for good.
  it('should pick up a rotated signing key with exactly one JWKS refetch', async () => {
    expect((await login(stack.gateway.url)).done.headers.location).toBe(`${ORIGIN}/home`);
    const { kid } = await simControl<{ kid: string }>(sim(), 'POST', 'oauth/rotate-key');
    await clearJournal();
    const rotated = await login(stack.gateway.url, '/rotated');
    expect(rotated.done.headers.location).toBe(`${ORIGIN}/rotated`);
    // the token that got in was signed with the new key
    const { tokens } = await simControl<{ tokens: { kind: string; value: string }[] }>(
      sim(),
      'GET',
      'issued-tokens',
    );
    const last = tokens.filter((t) => t.kind === 'oauth_id_token').at(-1)!.value;
    expect(decodeProtectedHeader(last).kid).toBe(kid);
    const again = await login(stack.gateway.url, '/again');
    expect(again.done.headers.location).toBe(`${ORIGIN}/again`);
    const fetched = (await journal()).filter((j) => j.path === '/api/v1/oauth2/jwks');
    expect(fetched).toHaveLength(1);
  });
});
