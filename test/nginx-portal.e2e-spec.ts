import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import WebSocket from 'ws';
import { BrowserClient } from './helpers/browser-client';
import { EchoUpstream } from './helpers/echo-upstream';
import { freePort } from './helpers/free-port';
import { simControl } from './helpers/flows';
import { GatewayStack } from './helpers/gateway-stack';
import { NginxServer } from './helpers/nginx-server';
import { rawGet, rawRequest } from './helpers/raw-http';
import { NginxPortal, PORTAL_ORIGIN, startNginxPortal } from './helpers/nginx-portal-stack';
import { itKeepsTheSpaContract } from './helpers/spa-contract';
import { parseSetCookie, PASSWORD, setCookieLines, USERS } from './security/helpers';

const RECIPE = join(__dirname, '..', 'deploy', 'nginx', 'portal.conf');
const PUBLIC = PORTAL_ORIGIN;
const COOKIE = '__Secure-bff';
/** The browser's address as a trusted hop in front of nginx reports it (TEST-NET-3). */
const BROWSER_IP = '203.0.113.7';
/** A source address of the test's own, so the browser is not at nginx's address. */
const BROWSER_LOOPBACK = '127.0.0.2';

interface JournalEntry {
  method: string;
  path: string;
  device_ip?: string;
}

/**
 * deploy/nginx/portal.conf in a real nginx, in front of a real gateway (BASE_PATH=/portal,
 * TRUST_PROXY=loopback, the team's SPA from SPA_DIR), simulator, Redis and an API behind the
 * relay: what an SPA under /portal on a shared host goes through.
 */
describe('the nginx recipe (deploy/nginx/portal.conf)', () => {
  let portal: NginxPortal | undefined;
  let upstream: EchoUpstream | undefined;
  let stack: GatewayStack | undefined;
  let nginx: NginxServer | undefined;

  beforeAll(async () => {
    portal = await startNginxPortal(RECIPE, {
      spaInGateway: true,
      simulator: { oauthAuthorize: 'auto' },
    });
    ({ upstream, stack, nginx } = portal);
  }, 60_000);

  afterAll(() => portal?.close());

  describe("the team's SPA, served by the gateway (SPA_DIR)", () => {
    itKeepsTheSpaContract(() => nginx!.url);
  });

  /** A browser talking to nginx; a trusted hop in front of nginx says who it is. */
  function browser(): BrowserClient {
    const b = new BrowserClient(nginx!.url, [], PUBLIC);
    b.headers['X-Forwarded-For'] = BROWSER_IP;
    return b;
  }

  async function signIn(): Promise<BrowserClient> {
    const b = browser();
    const res = await b.post('/portal/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    expect(res.body.status).toBe('SUCCESS');
    return b;
  }

  /** The X-device-ip values OneAccess received while `run` ran. */
  async function deviceIpsDuring(run: () => Promise<void>): Promise<Set<string | undefined>> {
    await simControl(stack!.simulator, 'DELETE', 'journal');
    await run();
    const journal = await simControl<JournalEntry[]>(stack!.simulator, 'GET', 'journal');
    const withDevice = journal.filter((e) => e.device_ip !== undefined);
    expect(withDevice.length).toBeGreaterThan(0);
    return new Set(withDevice.map((e) => e.device_ip));
  }

  it('should sign in under /portal with the cookie on the prefix', async () => {
    const res = await browser().post('/portal/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    expect(res.body.status).toBe('SUCCESS');
    const set = parseSetCookie(res.setCookie.find((c) => c.startsWith(`${COOKIE}=`))!);
    expect(set.attrs.get('path')).toBe('/portal');
  });

  it("should give OneAccess the address nginx saw the browser at, not nginx's own", async () => {
    // The browser connects from 127.0.0.2; nginx reaches the gateway from 127.0.0.1.
    const ips = await deviceIpsDuring(async () => {
      const res = await rawRequest(
        nginx!.url,
        'POST',
        '/portal/auth/login/password',
        {
          'Content-Type': 'application/json',
          'X-CSRF': '1',
          Origin: PUBLIC,
          'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0',
        },
        JSON.stringify({ user_name: USERS.plain.user_name, password: PASSWORD }),
        { localAddress: BROWSER_LOOPBACK },
      );
      expect(res.body.status).toBe('SUCCESS');
    });
    expect(ips).toEqual(new Set([BROWSER_LOOPBACK]));
  });

  it('should append to the X-Forwarded-For of a trusted hop in front, so the browser behind it is reported', async () => {
    // nginx appends its peer (127.0.0.1, trusted as loopback) after the address the hop in
    // front reported: the gateway skips its trusted proxies and reports that browser.
    const ips = await deviceIpsDuring(async () => {
      await signIn();
    });
    expect(ips).toEqual(new Set([BROWSER_IP]));
  });

  it('should send OneAccess the one redirect URI and keep return_to under /portal', async () => {
    async function oauth(returnTo: string): Promise<{ authorize: URL; landing: string }> {
      const start = await request(nginx!.url)
        .get('/portal/auth/oauth/login')
        .query({ return_to: returnTo });
      expect(start.status).toBe(302);
      const tx = setCookieLines(start)
        .find((c) => c.startsWith(`${COOKIE}-oauth=`))!
        .split(';')[0];
      const authorize = new URL(start.headers.location);
      const approved = await fetch(authorize, { redirect: 'manual' });
      const callback = new URL(approved.headers.get('location')!);
      expect(callback.origin).toBe(PUBLIC);
      // The browser follows the callback to PUBLIC_ORIGIN, which is this nginx.
      const done = await request(nginx!.url)
        .get(callback.pathname + callback.search)
        .set('Cookie', tx);
      expect(done.status).toBe(302);
      return { authorize, landing: done.headers.location };
    }

    const inside = await oauth('/portal/orders/7?tab=open');
    expect(inside.authorize.searchParams.get('redirect_uri')).toBe(
      `${PUBLIC}/portal/auth/oauth/callback`,
    );
    expect(inside.landing).toBe(`${PUBLIC}/portal/orders/7?tab=open`);
    expect((await oauth('/dashboard')).landing).toBe(`${PUBLIC}/portal/`);
    expect((await oauth('/portal/../other-app/')).landing).toBe(`${PUBLIC}/portal/`);
    // nginx decodes `%2F` and resolves the `..`: such a landing would be its /admin, not ours.
    for (const climb of [
      '/portal/..%2Fadmin',
      '/portal/%2e%2e%2Fadmin',
      '/portal/x/..%2F..%2Fadmin',
    ])
      expect({ climb, landing: (await oauth(climb)).landing }).toEqual({
        climb,
        landing: `${PUBLIC}/portal/`,
      });
  });

  it('should pass a WebSocket upgrade through to the relay and messages both ways', async () => {
    const b = await signIn();
    const ws = new WebSocket(`${nginx!.url.replace(/^http/, 'ws')}/portal/api/live/feed`, {
      headers: { Cookie: b.cookieHeader, Origin: PUBLIC, 'X-Forwarded-For': BROWSER_IP },
    });
    const echoed = new Promise<string>((resolve, reject) => {
      ws.once('message', (data: Buffer) => resolve(data.toString()));
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`answered ${res.statusCode}`)),
      );
      ws.once('error', reject);
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send('through nginx');
    expect(await echoed).toBe('through nginx');
    const seen = portal!.wsUpstream.sockets.at(-1)!;
    expect(seen.url).toBe('/live/feed');
    expect(seen.headers['x-forwarded-for']).toBe(BROWSER_IP);
    ws.close();
    await new Promise((resolve) => ws.once('close', resolve));
  });

  it('should relay an upload larger than 1 MB to the API intact', async () => {
    const b = await signIn();
    const body = randomBytes(3 * 1024 * 1024 + 17);
    const seenBefore = upstream!.seen.length;
    const res = await request(nginx!.url)
      .post('/portal/api/files/upload')
      .set('Cookie', b.cookieHeader)
      .set('X-CSRF', '1')
      .set('Origin', PUBLIC)
      .set('Content-Type', 'application/octet-stream')
      .send(body);
    expect(res.status).toBe(200);
    const seen = upstream!.seen.slice(seenBefore);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/files/upload',
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    });
  });

  it('should keep the operator endpoints inside: JSON 404 through nginx, served on the gateway', async () => {
    const portal = nginx!.url;
    for (const path of ['/portal/healthz', '/portal/metrics', '/portal/openapi.json']) {
      // The gateway itself serves them (under the prefix too): the refusal is nginx's.
      expect((await rawGet(stack!.gateway.url, path)).status).toBe(200);
    }
    for (const path of [
      '/portal/healthz',
      '/portal/readyz',
      '/portal/metrics',
      '/portal/docs',
      '/portal/docs/',
      '/portal/docs/swagger-ui.css',
      '/portal/openapi.json',
      '/portal/admin/sessions',
      '/portal/METRICS',
      '/portal//metrics',
      '/portal/./readyz',
      '/portal/%6Detrics',
      '/portal/auth/../metrics',
    ]) {
      const res = await rawGet(portal, path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(JSON.parse(res.text)).toMatchObject({ code: 'NOT_FOUND' });
    }
    // JSON whatever the extension says (nginx types a body by the path otherwise).
    const css = await request(nginx!.url).get('/portal/docs/swagger-ui.css');
    expect(css.headers['content-type']).toBe('application/json');
    // Everything else under the prefix still reaches the gateway.
    expect((await rawGet(portal, '/portal/auth/session')).status).toBe(200);
  });

  it('should answer JSON, not an HTML page, when the gateway cannot be reached', async () => {
    const orphan = new NginxServer();
    try {
      await orphan.start(RECIPE, await freePort());
      const res = await rawGet(orphan.url, '/portal/auth/session');
      expect(res.status).toBe(503);
      expect(JSON.parse(res.text)).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    } finally {
      await orphan.stop();
    }
  });
});
