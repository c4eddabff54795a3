import { createTestApp } from './helpers/create-test-app';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { rawRequest, RawReply } from './helpers/raw-http';
import { ESCAPES, OUTSIDE_SECRET, SPA_FILES, SPA_MARKER, SpaFixture } from './helpers/spa-fixture';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The team's SPA (SPA_DIR) under BASE_PATH=/portal, served by a real gateway with a real Redis and
 * the simulator: the contract of docs/api.md section 7 ("The team's SPA"), over raw HTTP so that
 * no client normalises a path an attacker would send as written.
 */
describe('the SPA under /portal (SPA_DIR)', () => {
  const spa = new SpaFixture();
  let stack: GatewayStack | undefined;
  const get = (path: string, headers: Record<string, string> = {}): Promise<RawReply> =>
    rawRequest(stack!.gateway.url, 'GET', path, headers);

  beforeAll(async () => {
    await spa.create();
    stack = await startGatewayStack({ env: { BASE_PATH: '/portal', SPA_DIR: spa.root } });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await spa.remove();
  });

  function expectIndex(res: RawReply): void {
    expect(res.status).toBe(200);
    expect(res.text).toContain(SPA_MARKER);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
  }

  it.each([
    '/portal/',
    '/portal',
    '/portal/orders/7?tab=open',
    '/portal/?auth_error=invalid_state',
    '/portal/settings/profile/',
    '/portal/index.html',
  ])('should answer %s with index.html, revalidated on every use', async (path) => {
    expectIndex(await get(path));
  });

  it('should put the security headers and a policy that lets the page run its own scripts', async () => {
    const res = await get('/portal/orders');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-request-id']).toBeTruthy();
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it.each([
    '/portal/assets/index-B4x9Qz1a.js',
    '/portal/assets/logo.svg',
    '/portal/app.3f9a1c2b.js',
  ])('should cache the hashed asset %s for a year, immutable', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.text).toBe(SPA_FILES[path.slice('/portal/'.length)]);
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
  });

  it('should serve other files with their type and revalidation, a link inside the directory too', async () => {
    const robots = await get('/portal/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(robots.headers['cache-control']).toBe('no-cache');
    expect((await get('/portal/inside-link.txt')).text).toBe(SPA_FILES['robots.txt']);
    expect((await get('/portal/help/guide.html')).text).toContain('guide');
    expect((await get('/portal/assets/index-B4x9Qz1a.js')).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
  });

  it('should answer HEAD with the headers only and a conditional GET with 304', async () => {
    const head = await rawRequest(stack!.gateway.url, 'HEAD', '/portal/orders');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(SPA_FILES['index.html']));
    const first = await get('/portal/assets/index-B4x9Qz1a.js');
    const etag = first.headers.etag!;
    expect(etag).toBeTruthy();
    expect(first.headers['last-modified']).toBeTruthy();
    const again = await get('/portal/assets/index-B4x9Qz1a.js', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const since = await get('/portal/orders', {
      'If-Modified-Since': first.headers['last-modified']!,
    });
    expect(since.status).toBe(304);
    // A stale validator gets the file again.
    expect((await get('/portal/orders', { 'If-None-Match': 'W/"0-0"' })).status).toBe(200);
  });

  it.each([
    '/portal/assets/missing-1234abcd.js',
    '/portal/missing.png',
    '/portal/orders/7/report.pdf',
  ])('should answer a missing file %s with the JSON 404, not the page', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each([
    '/portal/auth/x',
    '/portal/api/x',
    '/portal/api/x/y.js',
    '/portal/admin/x',
    '/portal/AUTH/x',
    '/portal/auth',
  ])('should keep the gateway JSON 404 at %s', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it("should leave the gateway's own routes and the ops paths to the gateway", async () => {
    const session = await get('/portal/auth/session');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ authenticated: false });
    expect((await get('/portal/healthz')).body).toMatchObject({ status: 'ok' });
    expect((await get('/portal/metrics')).text).not.toContain(SPA_MARKER);
  });

  it('should give other methods no page', async () => {
    const res = await rawRequest(stack!.gateway.url, 'POST', '/portal/orders', {}, '{}');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(SPA_MARKER);
  });

  it.each(ESCAPES)('should never serve anything outside the directory: %s', async (escape) => {
    for (const path of [`/portal${escape}`, escape]) {
      const res = await get(path);
      // Refused with the contract's error, or (a route naming no file) the SPA's own page.
      const answer =
        res.status === 200
          ? res.text.includes(SPA_MARKER)
          : [400, 404].includes(res.status) && typeof res.body?.code === 'string';
      expect({ path, leaked: res.text.includes(OUTSIDE_SECRET), answer }).toEqual({
        path,
        leaked: false,
        answer: true,
      });
    }
  });

  it('should still serve the owner while the escapes are tried', async () => {
    await Promise.all(ESCAPES.map((e) => get(`/portal${e}`)));
    expectIndex(await get('/portal/'));
    expect((await get('/portal/assets/index-B4x9Qz1a.js')).status).toBe(200);
  });
});

describe('SPA_DIR at start', () => {
  const spa = new SpaFixture();
  beforeAll(() => spa.create());
  afterAll(() => spa.remove());

  it('should refuse SPA_DIR together with DEMO_ENABLED=true', async () => {
    await expect(
      createTestApp({ SIMULATOR_PORT: '0', SPA_DIR: spa.root, DEMO_ENABLED: 'true' }),
    ).rejects.toThrow(/SPA_DIR: .*DEMO_ENABLED/);
  });

  it.each([
    ['a directory that does not exist', () => `${spa.base}/nope`],
    ['a directory without index.html', () => `${spa.root}/assets`],
    ['a file', () => `${spa.root}/robots.txt`],
  ])('should refuse %s, naming SPA_DIR', async (_what, dir) => {
    await expect(createTestApp({ SIMULATOR_PORT: '0', SPA_DIR: dir() })).rejects.toThrow(/SPA_DIR/);
  });

  it('should switch the demo page off when SPA_DIR is set in development', async () => {
    const app = await createTestApp({ SIMULATOR_PORT: '0', SPA_DIR: spa.root });
    try {
      const res = await rawRequest(app.url, 'GET', '/');
      expect(res.text).toContain(SPA_MARKER);
      // The demo bundle's script is not served: with an extension and not in SPA_DIR, a 404.
      expect((await rawRequest(app.url, 'GET', '/app.js')).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
