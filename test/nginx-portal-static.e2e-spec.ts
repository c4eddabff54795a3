import { join } from 'node:path';
import request from 'supertest';
import { BrowserClient } from './helpers/browser-client';
import { EchoUpstream } from './helpers/echo-upstream';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { NginxServer, rawRequest } from './helpers/nginx-server';
import { ESCAPES, OUTSIDE_SECRET, SPA_FILES, SPA_MARKER, SpaFixture } from './helpers/spa-fixture';
import { PASSWORD, USERS } from './security/helpers';

const RECIPE = join(__dirname, '..', 'deploy', 'nginx', 'portal-static.conf');
const PUBLIC = 'https://portal.example.com';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * deploy/nginx/portal-static.conf in a real nginx: nginx serves the SPA's files itself (the same
 * rules as the gateway's SPA_DIR) and sends only /portal/auth/ and /portal/api/ to a real gateway
 * (BASE_PATH=/portal, no SPA_DIR) with Redis, the simulator and an API behind the relay.
 */
describe('the nginx recipe serving the SPA itself (deploy/nginx/portal-static.conf)', () => {
  const spa = new SpaFixture();
  let upstream: EchoUpstream | undefined;
  let stack: GatewayStack | undefined;
  let nginx: NginxServer | undefined;

  beforeAll(async () => {
    await spa.create();
    upstream = await new EchoUpstream().start();
    stack = await startGatewayStack({
      env: {
        PUBLIC_ORIGIN: PUBLIC,
        BASE_PATH: '/portal',
        TRUST_PROXY: 'loopback',
        API_ROUTES: JSON.stringify({ files: { target: `${upstream.url}/files` } }),
      },
    });
    nginx = new NginxServer();
    await nginx.start(RECIPE, Number(new URL(stack.gateway.url).port), spa.root);
  }, 60_000);

  afterAll(async () => {
    await nginx?.stop();
    await stack?.close();
    await upstream?.close();
    await spa.remove();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    request(nginx!.url).get(path).set(headers);

  it.each([
    '/portal/',
    '/portal/orders/7?tab=open',
    '/portal/?auth_error=invalid_state',
    '/portal/settings/profile/',
    '/portal/index.html',
  ])('should answer %s with index.html, revalidated, under the SPA policy', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.text).toContain(SPA_MARKER);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('should send /portal to /portal/', async () => {
    const res = await get('/portal');
    expect(res.status).toBe(301);
    expect(res.headers.location).toMatch(/\/portal\/$/);
  });

  it.each([
    '/portal/assets/index-B4x9Qz1a.js',
    '/portal/assets/logo.svg',
    '/portal/app.3f9a1c2b.js',
  ])('should cache the hashed asset %s for a year, immutable', async (path) => {
    const res = await request(nginx!.url)
      .get(path)
      .buffer(true)
      .parse((r, cb) => {
        let text = '';
        r.on('data', (d: Buffer) => (text += d.toString()));
        r.on('end', () => cb(null, text));
      });
    expect(res.status).toBe(200);
    expect(res.body).toBe(SPA_FILES[path.slice('/portal/'.length)]);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
  });

  it('should revalidate other files, and answer HEAD and a conditional GET', async () => {
    const robots = await get('/portal/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.headers['cache-control']).toBe('no-cache');
    const head = await request(nginx!.url).head('/portal/orders');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(SPA_FILES['index.html'])));
    const etag = (await get('/portal/assets/index-B4x9Qz1a.js')).headers.etag;
    expect(etag).toBeTruthy();
    expect((await get('/portal/assets/index-B4x9Qz1a.js', { 'If-None-Match': etag })).status).toBe(
      304,
    );
  });

  it.each(['/portal/assets/missing-1234abcd.js', '/portal/missing.png', '/portal/a/b/report.pdf'])(
    'should answer the missing file %s with a JSON 404, not the page',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.text)).toMatchObject({ code: 'NOT_FOUND' });
    },
  );

  it("should send /portal/auth/ and /portal/api/ to the gateway, with the gateway's JSON 404s", async () => {
    for (const path of ['/portal/auth/x', '/portal/api/x', '/portal/AUTH/x', '/portal/auth']) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      // The gateway's answer (it names the request with nginx's id), not nginx's.
      expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: 'Not found.' });
    }
    const session = await get('/portal/auth/session');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ authenticated: false });
  });

  it('should sign in and relay an API call through nginx', async () => {
    const b = new BrowserClient(nginx!.url, [], PUBLIC);
    const login = await b.post('/portal/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    expect(login.body.status).toBe('SUCCESS');
    const res = await request(nginx!.url)
      .get('/portal/api/files/report.pdf')
      .set('Cookie', b.cookieHeader);
    expect(res.status).toBe(200);
    expect(upstream!.seen.at(-1)).toMatchObject({ method: 'GET', url: '/files/report.pdf' });
  });

  it('should keep the operator endpoints and hidden files inside', async () => {
    for (const path of [
      '/portal/healthz',
      '/portal/metrics',
      '/portal/docs/',
      '/portal/admin/sessions',
      '/portal/.env',
    ]) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.text).not.toContain(OUTSIDE_SECRET);
      expect(res.headers['content-type']).toBe('application/json');
    }
  });

  it.each(ESCAPES)(
    'should never serve anything outside the directory: /portal%s',
    async (escape) => {
      const res = await rawRequest(nginx!.port, { path: `/portal${escape}` });
      expect(res.text).not.toContain(OUTSIDE_SECRET);
      // Refused (nginx's own 400 for a path climbing above the root, else the JSON 404), or a
      // route without a file: the SPA's page.
      if (res.status === 200) expect(res.text).toContain(SPA_MARKER);
      else expect([400, 404]).toContain(res.status);
    },
  );
});
