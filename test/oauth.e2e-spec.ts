import request from 'supertest';
import { BrowserClient } from './helpers/browser-client';
import { EchoUpstream } from './helpers/echo-upstream';
import { simControl } from './helpers/flows';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { waitFor } from './helpers/wait-for';

const ORIGIN = 'http://localhost:3000';

describe('OAuth2 redirect login (contract section 4, docs/security.md 3, 23, 38)', () => {
  let stack: GatewayStack;
  let upstream: EchoUpstream;

  beforeAll(async () => {
    upstream = await new EchoUpstream().start();
    stack = await startGatewayStack({
      env: {
        PUBLIC_ORIGIN: ORIGIN,
        API_ROUTES: JSON.stringify({
          byaccess: { target: `${upstream.url}/a`, token: 'access_token' },
          byid: { target: `${upstream.url}/i`, token: 'id_token' },
        }),
      },
      simulator: { oauthAuthorize: 'auto', oauthAutoUser: 'zhangsan' },
    });
  });
  afterAll(async () => {
    await stack.close();
    await upstream.close();
  });

  /** Runs the browser's part up to the callback URL; returns it and the transaction cookie. */
  async function authorize(
    returnTo?: string,
  ): Promise<{ callback: string; txCookie: string; state: string; location: URL }> {
    const start = await request(stack.gateway.url)
      .get('/auth/oauth/login')
      .query(returnTo === undefined ? {} : { return_to: returnTo });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.location);
    const tx = ([] as string[])
      .concat(start.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('__Host-bff-oauth='))!;
    expect(tx).toBeDefined();
    // The simulator is OneAccess here: it approves at once and sends the browser back.
    const approved = await fetch(location, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    const back = new URL(approved.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(`${ORIGIN}/auth/oauth/callback`);
    return {
      callback: back.pathname + back.search,
      txCookie: tx.split(';')[0],
      state: location.searchParams.get('state')!,
      location,
    };
  }

  async function callback(path: string, cookie?: string) {
    const req = request(stack.gateway.url).get(path);
    return cookie ? req.set('Cookie', cookie) : req;
  }

  it('should send the browser to OneAccess with a fresh state and nonce and a Lax transaction cookie', async () => {
    const start = await request(stack.gateway.url).get('/auth/oauth/login?return_to=/orders');
    const to = new URL(start.headers.location);
    expect(to.origin).toBe(stack.simulator.url);
    expect(to.pathname).toBe('/api/v1/oauth2/authorize');
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: stack.simulator.clientId,
      redirect_uri: `${ORIGIN}/auth/oauth/callback`,
      scope: 'openid',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const tx = ([] as string[])
      .concat(start.headers['set-cookie'])
      .find((c) => c.startsWith('__Host-bff-oauth='))!;
    expect(tx).toMatch(/Max-Age=600; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
    expect(tx).not.toMatch(/Domain/i);
    // nothing secret in the URL the browser sees
    expect(start.headers.location).not.toMatch(/client_secret/);
    const again = await request(stack.gateway.url).get('/auth/oauth/login');
    expect(new URL(again.headers.location).searchParams.get('state')).not.toBe(
      to.searchParams.get('state'),
    );
  });

  it('should complete the login, land on return_to and sign the session in', async () => {
    const { callback: path, txCookie } = await authorize('/orders?tab=open');
    const done = await callback(path, txCookie);
    expect(done.status).toBe(302);
    expect(done.headers.location).toBe(`${ORIGIN}/orders?tab=open`);
    const cookies = ([] as string[]).concat(done.headers['set-cookie']);
    const session = cookies.find((c) => c.startsWith('__Host-bff='))!;
    expect(session).toMatch(/HttpOnly; Secure; SameSite=Strict/);
    expect(cookies.find((c) => c.startsWith('__Host-bff-oauth='))).toMatch(
      /Expires=Thu, 01 Jan 1970/,
    );
    const b = new BrowserClient(stack.gateway.url);
    b.cookies.set('__Host-bff', session.split(';')[0].split('=').slice(1).join('='));
    const view = await b.get('/auth/session');
    expect(view.body).toMatchObject({
      authenticated: true,
      status: 'SUCCESS',
      login_method: 'oauth',
      user: { user_name: 'zhangsan', mobile: '138****0001' },
    });

    // both credentials of an OIDC login reach the APIs that ask for them
    const viaAccess = await b.get('/api/byaccess/x');
    expect(viaAccess.status).toBe(200);
    expect(upstream.seen.at(-1)!.headers.authorization).toMatch(/^Bearer [0-9a-f-]{36}$/);
    const viaId = await b.get('/api/byid/x');
    expect(viaId.status).toBe(200);
    expect(upstream.seen.at(-1)!.headers.authorization).toMatch(/^Bearer eyJ/);
    // but it has no SDK session to manage the OneAccess account with
    expect((await b.get('/auth/profile')).status).toBe(401);
  });

  it('should refuse a reused state', async () => {
    const { callback: path, txCookie } = await authorize('/x');
    expect((await callback(path, txCookie)).headers.location).toBe(`${ORIGIN}/x`);
    const replay = await callback(path, txCookie);
    expect(replay.status).toBe(302);
    expect(replay.headers.location).toBe(`${ORIGIN}/?auth_error=invalid_state`);
    expect(replay.headers['set-cookie']?.toString() ?? '').not.toMatch(/__Host-bff=s/);
  });

  /** One tab of `browser` starts a login and OneAccess approves it; returns the callback path. */
  async function startInTab(browser: BrowserClient, returnTo: string): Promise<string> {
    const start = await browser.get(`/auth/oauth/login?return_to=${encodeURIComponent(returnTo)}`);
    expect(start.status).toBe(302);
    const approved = await fetch(start.headers.location as string, { redirect: 'manual' });
    const back = new URL(approved.headers.get('location')!);
    return back.pathname + back.search;
  }

  it('should complete logins started in several tabs of one browser, in any order', async () => {
    const browser = new BrowserClient(stack.gateway.url);
    // every tab starts before any comes back, sharing the browser's cookie jar
    const first = await startInTab(browser, '/first');
    const second = await startInTab(browser, '/second');
    const third = await startInTab(browser, '/third');

    expect((await browser.get(second)).headers.location).toBe(`${ORIGIN}/second`);
    // the other tabs' logins still need the transaction cookie: it stays
    expect(browser.cookies.has('__Host-bff-oauth')).toBe(true);
    // each state is still single use
    expect((await browser.get(second)).headers.location).toBe(
      `${ORIGIN}/?auth_error=invalid_state`,
    );
    expect((await browser.get(first)).headers.location).toBe(`${ORIGIN}/first`);
    expect((await browser.get(third)).headers.location).toBe(`${ORIGIN}/third`);
    // the last login out removes it
    expect(browser.cookies.has('__Host-bff-oauth')).toBe(false);
    expect((await browser.get('/auth/session')).body).toMatchObject({
      authenticated: true,
      login_method: 'oauth',
    });
  });

  it('should keep at most 10 logins in progress per browser, dropping the oldest', async () => {
    const browser = new BrowserClient(stack.gateway.url);
    const tabs: string[] = [];
    for (let i = 0; i < 11; i++) tabs.push(await startInTab(browser, `/tab${i}`));
    expect((await browser.get(tabs[0])).headers.location).toBe(
      `${ORIGIN}/?auth_error=invalid_state`,
    );
    expect((await browser.get(tabs[1])).headers.location).toBe(`${ORIGIN}/tab1`);
    expect((await browser.get(tabs[10])).headers.location).toBe(`${ORIGIN}/tab10`);
    // another browser's login is not this browser's to drop
    const other = new BrowserClient(stack.gateway.url);
    const kept = await startInTab(other, '/kept');
    for (let i = 0; i < 10; i++) await startInTab(browser, `/more${i}`);
    expect((await other.get(kept)).headers.location).toBe(`${ORIGIN}/kept`);
  });

  it('should refuse a wrong or missing state and a callback from another browser', async () => {
    const { callback: path, txCookie, state } = await authorize();
    const wrong = await callback(path.replace(state, 'A'.repeat(43)), txCookie);
    expect(wrong.headers.location).toBe(`${ORIGIN}/?auth_error=invalid_state`);
    const missing = await callback(path.replace(/state=[^&]+&?/, ''), txCookie);
    expect(missing.headers.location).toBe(`${ORIGIN}/?auth_error=invalid_state`);
    // the state is right, but this browser never started the login (no or another transaction cookie)
    const fresh = await authorize();
    expect((await callback(fresh.callback)).headers.location).toBe(
      `${ORIGIN}/?auth_error=invalid_state`,
    );
    const other = await authorize();
    expect((await callback(other.callback, txCookie)).headers.location).toBe(
      `${ORIGIN}/?auth_error=invalid_state`,
    );
  });

  it('should refuse a code OneAccess does not know', async () => {
    const { callback: path, txCookie } = await authorize();
    const forged = path.replace(/code=[^&]+/, 'code=forged-code');
    expect((await callback(forged, txCookie)).headers.location).toBe(
      `${ORIGIN}/?auth_error=login_refused`,
    );
  });

  it('should report a declined authorisation', async () => {
    const start = await request(stack.gateway.url).get('/auth/oauth/login');
    const state = new URL(start.headers.location).searchParams.get('state')!;
    const tx = ([] as string[])
      .concat(start.headers['set-cookie'])
      .find((c) => c.startsWith('__Host-bff-oauth='))!
      .split(';')[0];
    const res = await callback(`/auth/oauth/callback?error=access_denied&state=${state}`, tx);
    expect(res.headers.location).toBe(`${ORIGIN}/?auth_error=access_denied`);
  });

  it.each([
    '//evil.example',
    'https://evil.example',
    '/\\evil.example',
    '/%2F%2Fevil.example',
    'javascript:alert(1)',
  ])('should not redirect to %s after login', async (returnTo) => {
    const { callback: path, txCookie } = await authorize(returnTo);
    expect((await callback(path, txCookie)).headers.location).toBe(`${ORIGIN}/`);
  });

  it('should refresh the access token once with the refresh_token grant', async () => {
    await simControl(stack.simulator, 'PATCH', 'config', { lifetimes: { oauthAccessToken: 3 } });
    try {
      const { callback: path, txCookie } = await authorize();
      const done = await callback(path, txCookie);
      const b = new BrowserClient(stack.gateway.url);
      const session = ([] as string[])
        .concat(done.headers['set-cookie'])
        .find((c) => c.startsWith('__Host-bff='))!;
      b.cookies.set('__Host-bff', session.split(';')[0].split('=').slice(1).join('='));
      // A 3 s token is due when less than half its life is left: wait on the clock, not the gateway.
      const loggedInAt = Date.now();
      await waitFor(() => Date.now() > loggedInAt + 1700, 5000, 'the access token to fall due');
      await simControl(stack.simulator, 'DELETE', 'journal');
      const results = await Promise.all(Array.from({ length: 10 }, () => b.get('/api/byaccess/y')));
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
      const journal = await simControl<{ method: string; path: string }[]>(
        stack.simulator,
        'GET',
        'journal',
      );
      expect(journal.filter((j) => j.path === '/api/v1/oauth2/token')).toHaveLength(1);
      const bearers = new Set(upstream.seen.slice(-10).map((s) => s.headers.authorization));
      expect(bearers.size).toBe(1);
    } finally {
      await simControl(stack.simulator, 'PATCH', 'config', {
        lifetimes: { oauthAccessToken: 7200 },
      });
    }
  });
});
