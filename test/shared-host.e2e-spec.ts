import request from 'supertest';
import { BrowserClient } from './helpers/browser-client';
import { createTestApp, TestApp } from './helpers/create-test-app';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { parseSetCookie, PASSWORD, setCookieLines, USERS } from './security/helpers';

const PUBLIC = 'https://portal.example.com';
/** Where the browser would reach OneAccess; nothing listens there, only the browser goes. */
const ONEACCESS_PUBLIC = 'https://login.example.test';

/**
 * A gateway mounted under /portal on a host it shares with other apps (docs/api.md section 8):
 * its cookies stay on its prefix, logout leaves the other apps' cookies alone unless told
 * otherwise, post-login targets stay under the prefix, and URLs the browser follows to
 * OneAccess use ONEACCESS_PUBLIC_URL while the gateway keeps calling ONEACCESS_BASE_URL.
 */
describe('a gateway on a shared host under BASE_PATH', () => {
  let stack: GatewayStack;
  const extra: TestApp[] = [];

  /** Another gateway on the stack's Redis and simulator, with `env` on top. */
  async function gateway(env: Record<string, string>): Promise<TestApp> {
    const app = await createTestApp({
      REDIS_URL: stack.redisUrl,
      REDIS_KEY_PREFIX: stack.keyPrefix,
      ONEACCESS_BASE_URL: stack.simulator.url,
      ONEACCESS_CLIENT_ID: stack.simulator.clientId,
      ONEACCESS_CLIENT_SECRET: stack.simulator.clientSecret,
      ...env,
    });
    extra.push(app);
    return app;
  }

  async function login(url: string, prefix: string): Promise<BrowserClient> {
    const b = new BrowserClient(url, [], PUBLIC);
    const res = await b.post(`${prefix}/auth/login/password`, {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    expect(res.body.status).toBe('SUCCESS');
    return b;
  }

  beforeAll(async () => {
    stack = await startGatewayStack({
      env: { PUBLIC_ORIGIN: PUBLIC, BASE_PATH: '/portal' },
      simulator: { oauthAuthorize: 'auto' },
    });
  });
  afterAll(async () => {
    for (const app of extra) await app.close();
    await stack?.close();
  });

  describe('cookies', () => {
    it('should scope the session cookie to the prefix under a __Secure- name and expire it identically', async () => {
      const b = new BrowserClient(stack.gateway.url, [], PUBLIC);
      const signedIn = await b.post('/portal/auth/login/password', {
        user_name: USERS.plain.user_name,
        password: PASSWORD,
      });
      const set = parseSetCookie(signedIn.setCookie.find((c) => c.startsWith('__Secure-bff='))!);
      expect(Object.fromEntries(set.attrs)).toEqual({
        path: '/portal',
        httponly: '',
        secure: '',
        samesite: 'Strict',
      });
      expect(signedIn.setCookie.some((c) => c.startsWith('__Host-'))).toBe(false);

      const out = await b.post('/portal/auth/logout');
      expect(out.status).toBe(200);
      const cleared = parseSetCookie(out.setCookie.find((c) => c.startsWith('__Secure-bff='))!);
      expect(cleared.value).toBe('');
      const { expires, ...rest } = Object.fromEntries(cleared.attrs);
      expect(expires).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
      expect(rest).toEqual(Object.fromEntries(set.attrs));
      // Clear-Site-Data would also wipe the other apps' cookies on the host: off by default here.
      expect(out.headers['clear-site-data']).toBeUndefined();
    });

    it('should give the OAuth transaction cookie the same prefix and path', async () => {
      const start = await request(stack.gateway.url).get('/portal/auth/oauth/login');
      const tx = parseSetCookie(
        setCookieLines(start).find((c) => c.startsWith('__Secure-bff-oauth='))!,
      );
      expect(tx.attrs.get('path')).toBe('/portal');
      expect(tx.attrs.get('samesite')).toBe('Lax');
      expect(tx.attrs.has('secure')).toBe(true);
    });

    it('should send Clear-Site-Data under a prefix only when LOGOUT_CLEAR_SITE_DATA=true', async () => {
      const app = await gateway({
        PUBLIC_ORIGIN: PUBLIC,
        BASE_PATH: '/portal',
        LOGOUT_CLEAR_SITE_DATA: 'true',
      });
      const out = await (await login(app.url, '/portal')).post('/portal/auth/logout');
      expect(out.status).toBe(200);
      expect(out.headers['clear-site-data']).toBe('"cookies"');
    });

    it('should send no Clear-Site-Data without a prefix when LOGOUT_CLEAR_SITE_DATA=false, and still expire the cookie', async () => {
      const app = await gateway({ PUBLIC_ORIGIN: PUBLIC, LOGOUT_CLEAR_SITE_DATA: 'false' });
      const out = await (await login(app.url, '')).post('/auth/logout');
      expect(out.status).toBe(200);
      expect(out.headers['clear-site-data']).toBeUndefined();
      const cleared = parseSetCookie(out.setCookie.find((c) => c.startsWith('__Host-bff='))!);
      expect(cleared.attrs.get('path')).toBe('/');
      expect(cleared.attrs.get('expires')).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    });

    it('should let COOKIE_PATH=/ keep the __Host- cookie under a prefix', async () => {
      const app = await gateway({ PUBLIC_ORIGIN: PUBLIC, BASE_PATH: '/portal', COOKIE_PATH: '/' });
      const b = await login(app.url, '/portal');
      expect(b.cookies.has('__Host-bff')).toBe(true);
    });
  });

  describe('return_to', () => {
    /** Where the callback sends the browser after an OAuth login that asked for `returnTo`. */
    async function landing(returnTo: string): Promise<string> {
      const start = await request(stack.gateway.url)
        .get('/portal/auth/oauth/login')
        .query({ return_to: returnTo });
      const tx = setCookieLines(start)
        .find((c) => c.startsWith('__Secure-bff-oauth='))!
        .split(';')[0];
      const approved = await fetch(start.headers.location, { redirect: 'manual' });
      const callback = new URL(approved.headers.get('location')!);
      const done = await request(stack.gateway.url)
        .get(callback.pathname + callback.search)
        .set('Cookie', tx);
      expect(done.status).toBe(302);
      return done.headers.location;
    }

    it('should keep a target under the prefix', async () => {
      expect(await landing('/portal/orders/7?tab=open')).toBe(`${PUBLIC}/portal/orders/7?tab=open`);
    });

    it.each([
      '/dashboard',
      '/other-app/',
      '/portal/../other-app/',
      '/portal/%2e%2e/other-app/',
      // A proxy decodes the escaped slash and serves these as /admin (another app on the host).
      '/portal/..%2Fadmin',
      '/portal/..%2fadmin',
      '/portal/%2e%2e%2fadmin',
      '/portal/x/..%2F..%2Fadmin',
      '//evil.example/portal/',
    ])('should land on the prefix root for %s', async (returnTo) => {
      expect(await landing(returnTo)).toBe(`${PUBLIC}/portal/`);
    });

    it('should land on the prefix root for a target longer than 512 characters', async () => {
      expect(await landing(`/portal/${'a'.repeat(600)}`)).toBe(`${PUBLIC}/portal/`);
    });
  });

  describe('ONEACCESS_PUBLIC_URL', () => {
    it('should send the browser to the public URL and keep calling OneAccess at the base URL', async () => {
      const app = await gateway({
        PUBLIC_ORIGIN: PUBLIC,
        BASE_PATH: '/portal',
        ONEACCESS_PUBLIC_URL: ONEACCESS_PUBLIC,
        LOGOUT_REDIRECT_URL: `${PUBLIC}/portal/`,
      });
      const start = await request(app.url).get('/portal/auth/oauth/login');
      const authorize = new URL(start.headers.location);
      expect(authorize.origin).toBe(ONEACCESS_PUBLIC);
      expect(authorize.pathname).toBe('/api/v1/oauth2/authorize');
      expect(authorize.searchParams.get('redirect_uri')).toBe(
        `${PUBLIC}/portal/auth/oauth/callback`,
      );

      // The browser would reach the same OneAccess by its public name; the code exchange and
      // the user info that follow are the gateway's own calls, to ONEACCESS_BASE_URL.
      const approved = await fetch(
        `${stack.simulator.url}${authorize.pathname}${authorize.search}`,
        {
          redirect: 'manual',
        },
      );
      const callback = new URL(approved.headers.get('location')!);
      const tx = setCookieLines(start)
        .find((c) => c.startsWith('__Secure-bff-oauth='))!
        .split(';')[0];
      const done = await request(app.url)
        .get(callback.pathname + callback.search)
        .set('Cookie', tx);
      expect(done.headers.location).toBe(`${PUBLIC}/portal/`);
      const session = setCookieLines(done).find((c) => c.startsWith('__Secure-bff='))!;

      const b = new BrowserClient(app.url, [], PUBLIC);
      b.cookies.set('__Secure-bff', session.split(';')[0].slice('__Secure-bff='.length));
      const out = await b.post('/portal/auth/logout');
      const logoutUrl = new URL(out.body.logout_url);
      expect(logoutUrl.origin).toBe(ONEACCESS_PUBLIC);
      expect(logoutUrl.pathname).toBe('/api/v1/logout');
      expect(logoutUrl.searchParams.get('redirect_url')).toBe(`${PUBLIC}/portal/`);
    });
  });
});
