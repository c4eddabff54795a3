import { brotliDecompressSync } from 'node:zlib';
import { createTestApp } from './helpers/create-test-app';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { rawRequest, RawReply } from './helpers/raw-http';
import { itKeepsTheSpaContract } from './helpers/spa-contract';
import {
  ESCAPES,
  OUTSIDE_SECRET,
  PRECOMPRESSED_ASSET,
  SPA_FILES,
  SPA_MARKER,
  SpaFixture,
} from './helpers/spa-fixture';

/**
 * The team's SPA (SPA_DIR) under BASE_PATH=/portal, served by a real gateway with a real Redis and
 * the simulator: the contract of docs/api.md section 7 ("The team's SPA"), and what only the
 * gateway does (the paths without the prefix, links inside the directory, the start checks).
 */
describe('the SPA under /portal (SPA_DIR)', () => {
  const spa = new SpaFixture();
  let stack: GatewayStack | undefined;
  const get = (path: string): Promise<RawReply> => rawRequest(stack!.gateway.url, 'GET', path);

  beforeAll(async () => {
    await spa.create();
    stack = await startGatewayStack({ env: { BASE_PATH: '/portal', SPA_DIR: spa.root } });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await spa.remove();
  });

  itKeepsTheSpaContract(() => stack!.gateway.url);

  it('should answer /portal without the slash with the page, and carry a request id', async () => {
    const res = await get('/portal');
    expect(res.status).toBe(200);
    expect(res.text).toContain(SPA_MARKER);
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('should serve files by type, following a link that stays inside the directory', async () => {
    expect((await get('/portal/robots.txt')).headers['content-type']).toBe(
      'text/plain; charset=utf-8',
    );
    expect((await get('/portal/inside-link.txt')).text).toBe(SPA_FILES['robots.txt']);
    expect((await get('/portal/help/guide.html')).text).toContain('guide');
    expect((await get('/portal/assets/index-B4x9Qz1a.js')).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    // A stale validator gets the file again.
    const stale = await rawRequest(stack!.gateway.url, 'GET', '/portal/orders', {
      'If-None-Match': 'W/"0-0"',
    });
    expect(stale.status).toBe(200);
  });

  it('should prefer brotli, and honour q=0 when choosing an encoding', async () => {
    const path = `/portal/${PRECOMPRESSED_ASSET}`;
    const accepting = (accept: string) =>
      rawRequest(stack!.gateway.url, 'GET', path, { 'Accept-Encoding': accept });
    const br = await accepting('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.bytes).toString()).toBe(SPA_FILES[PRECOMPRESSED_ASSET]);
    expect((await accepting('br;q=0, gzip')).headers['content-encoding']).toBe('gzip');
    expect((await accepting('br;q=0, gzip;q=0')).headers['content-encoding']).toBeUndefined();
    expect((await accepting('*')).headers['content-encoding']).toBe('br');
    // Each encoding has its own validator.
    expect(br.headers.etag).not.toBe((await get(path)).headers.etag);
  });

  it('should leave the admin API and the ops paths to the gateway', async () => {
    expect((await get('/portal/admin/x')).body).toMatchObject({ code: 'NOT_FOUND' });
    expect((await get('/portal/healthz')).body).toMatchObject({ status: 'ok' });
    expect((await get('/portal/metrics')).text).not.toContain(SPA_MARKER);
    expect((await get('/portal/docs/x.css')).text).not.toContain(SPA_MARKER);
  });

  it.each(ESCAPES)(
    'should never serve anything outside the directory without the prefix: %s',
    async (escape) => {
      const res = await get(escape);
      expect(res.text).not.toContain(OUTSIDE_SECRET);
      if (res.status === 200) expect(res.text).toContain(SPA_MARKER);
      else
        expect({ status: res.status, code: typeof res.body?.code }).toEqual({
          status: 404,
          code: 'string',
        });
    },
  );
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
      expect((await rawRequest(app.url, 'GET', '/')).text).toContain(SPA_MARKER);
      // The demo bundle's script is not served: with an extension and not in SPA_DIR, a 404.
      expect((await rawRequest(app.url, 'GET', '/app.js')).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
