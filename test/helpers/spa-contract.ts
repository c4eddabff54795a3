import { gunzipSync } from 'node:zlib';
import { rawRequest, RawReply } from './raw-http';
import { ESCAPES, OUTSIDE_SECRET, PRECOMPRESSED_ASSET, SPA_FILES, SPA_MARKER } from './spa-fixture';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The SPA rules of docs/api.md section 7 under BASE_PATH=/portal, as one suite run against each
 * way of serving the SPA of {@link SpaFixture}: the gateway with SPA_DIR, the gateway behind
 * deploy/nginx/portal.conf, and nginx serving the files itself (portal-static.conf). Requests are
 * raw, so no client normalises a path an attacker sends as written. `origin()` is read when the
 * tests run (after the suite's beforeAll started the servers).
 */
export function itKeepsTheSpaContract(origin: () => string): void {
  const get = (path: string, headers: Record<string, string> = {}): Promise<RawReply> =>
    rawRequest(origin(), 'GET', path, headers);

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
    expect(res.headers['referrer-policy']).toBe('no-referrer');
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

  it('should revalidate the other files, and answer HEAD and conditional requests', async () => {
    const robots = await get('/portal/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.headers['cache-control']).toBe('no-cache');
    const head = await rawRequest(origin(), 'HEAD', '/portal/orders');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(SPA_FILES['index.html']));
    const first = await get('/portal/assets/index-B4x9Qz1a.js');
    expect(first.headers['last-modified']).toBeTruthy();
    const again = await get('/portal/assets/index-B4x9Qz1a.js', {
      'If-None-Match': first.headers.etag!,
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const since = await get('/portal/orders', {
      'If-Modified-Since': first.headers['last-modified']!,
    });
    expect(since.status).toBe(304);
  });

  it('should send the precompressed sibling to a browser that accepts gzip, the file to others', async () => {
    const path = `/portal/${PRECOMPRESSED_ASSET}`;
    const gz = await get(path, { 'Accept-Encoding': 'gzip' });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toMatch(/Accept-Encoding/i);
    expect(gz.headers['cache-control']).toBe(IMMUTABLE);
    expect(gunzipSync(gz.bytes).toString()).toBe(SPA_FILES[PRECOMPRESSED_ASSET]);
    const plain = await get(path);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe(SPA_FILES[PRECOMPRESSED_ASSET]);
  });

  it.each([
    '/portal/assets/missing-1234abcd.js',
    '/portal/missing.png',
    '/portal/orders/7/report.pdf',
  ])('should answer the missing file %s with the JSON 404, not the page', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each([
    '/portal/auth/x',
    '/portal/api/x',
    '/portal/api/x/y.js',
    '/portal/AUTH/x',
    '/portal/auth',
  ])("should keep the gateway's JSON 404 at %s", async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    // The gateway's own answer (nginx's say "Not found" without the full stop).
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: 'Not found.' });
  });

  it("should leave the gateway's routes to the gateway", async () => {
    const session = await get('/portal/auth/session');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ authenticated: false });
    const post = await rawRequest(origin(), 'POST', '/portal/orders', {}, '{}');
    expect(post.text).not.toContain(SPA_MARKER);
  });

  it.each(ESCAPES)(
    'should never serve anything outside the directory: /portal%s',
    async (escape) => {
      const res = await get(`/portal${escape}`);
      expect(res.text).not.toContain(OUTSIDE_SECRET);
      // Refused (the JSON 404, or nginx's 400 for a path climbing above its root), or a route
      // naming no file: the SPA's own page.
      if (res.status === 200) expect(res.text).toContain(SPA_MARKER);
      else expect([400, 404]).toContain(res.status);
    },
  );

  it('should still serve the owner while the escapes are tried', async () => {
    await Promise.all(ESCAPES.map((e) => get(`/portal${e}`)));
    expect((await get('/portal/')).text).toContain(SPA_MARKER);
    expect((await get('/portal/assets/index-B4x9Qz1a.js')).status).toBe(200);
  });
}
