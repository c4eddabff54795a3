import { join } from 'node:path';
import request from 'supertest';
import { BrowserClient } from './helpers/browser-client';
import { NginxPortal, PORTAL_ORIGIN, startNginxPortal } from './helpers/nginx-portal-stack';
import { itKeepsTheSpaContract } from './helpers/spa-contract';
import { OUTSIDE_SECRET } from './helpers/spa-fixture';
import { PASSWORD, USERS } from './security/helpers';

const RECIPE = join(__dirname, '..', 'deploy', 'nginx', 'portal-static.conf');

/**
 * deploy/nginx/portal-static.conf in a real nginx: nginx serves the SPA's files itself (the same
 * rules as the gateway's SPA_DIR) and sends only /portal/auth/ and /portal/api/ to a real gateway
 * (BASE_PATH=/portal, no SPA_DIR) with Redis, the simulator and an API behind the relay.
 */
describe('the nginx recipe serving the SPA itself (deploy/nginx/portal-static.conf)', () => {
  let portal: NginxPortal | undefined;

  beforeAll(async () => {
    portal = await startNginxPortal(RECIPE, { spaInGateway: false });
  }, 60_000);

  afterAll(() => portal?.close());

  itKeepsTheSpaContract(() => portal!.nginx.url);

  it('should send /portal to /portal/', async () => {
    const res = await request(portal!.nginx.url).get('/portal');
    expect(res.status).toBe(301);
    expect(res.headers.location).toMatch(/\/portal\/$/);
  });

  it('should sign in and relay an API call through nginx', async () => {
    const b = new BrowserClient(portal!.nginx.url, [], PORTAL_ORIGIN);
    const login = await b.post('/portal/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    expect(login.body.status).toBe('SUCCESS');
    const res = await request(portal!.nginx.url)
      .get('/portal/api/files/report.pdf')
      .set('Cookie', b.cookieHeader);
    expect(res.status).toBe(200);
    expect(portal!.upstream.seen.at(-1)).toMatchObject({ method: 'GET', url: '/files/report.pdf' });
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
      const res = await request(portal!.nginx.url).get(path);
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
      const res = await request(portal!.nginx.url).get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});
