import { join } from 'node:path';
import request from 'supertest';
import { BrowserClient } from './helpers/browser-client';
import { EchoUpstream } from './helpers/echo-upstream';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { NginxServer } from './helpers/nginx-server';
import { itKeepsTheSpaContract } from './helpers/spa-contract';
import { OUTSIDE_SECRET, SpaFixture } from './helpers/spa-fixture';
import { PASSWORD, USERS } from './security/helpers';

const RECIPE = join(__dirname, '..', 'deploy', 'nginx', 'portal-static.conf');
const PUBLIC = 'https://portal.example.com';

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

  itKeepsTheSpaContract(() => nginx!.url);

  it('should send /portal to /portal/', async () => {
    const res = await request(nginx!.url).get('/portal');
    expect(res.status).toBe(301);
    expect(res.headers.location).toMatch(/\/portal\/$/);
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

  it('should keep the operator endpoints and hidden files inside, as JSON', async () => {
    for (const path of [
      '/portal/healthz',
      '/portal/metrics',
      '/portal/docs/swagger-ui.css',
      '/portal/admin/sessions',
      '/portal/.env',
      '/portal/assets/.hidden.js',
    ]) {
      const res = await request(nginx!.url).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.text).not.toContain(OUTSIDE_SECRET);
      expect(res.headers['content-type']).toBe('application/json');
    }
  });

  it('should refuse every symlink in the directory, even one that stays inside', async () => {
    for (const path of [
      '/portal/inside-link.txt',
      '/portal/leak.txt',
      '/portal/linked/secret.txt',
    ]) {
      const res = await request(nginx!.url).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});
