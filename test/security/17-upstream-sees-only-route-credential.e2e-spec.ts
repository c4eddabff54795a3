import request from 'supertest';
import { COOKIE, passwordLogin, useSecurityStack } from './helpers';

/**
 * docs/security.md 17: before forwarding, the relay strips the gateway's cookie (and every other
 * cookie of the origin), the browser's own Authorization, and identity headers an upstream might
 * trust (X-Forwarded-User and kin); the upstream sees only the credential the route defines.
 * Request headers go by an allow-list: `X-Custom` arrives because these routes list it in
 * `forward_headers`.
 */
describe('17: the upstream sees only the credential of the route', () => {
  const suite = useSecurityStack();

  const forged = {
    Authorization: 'Bearer attacker-token',
    'X-Forwarded-User': 'admin',
    'X-Forwarded-Email': 'admin@example.com',
    'X-Forwarded-Groups': 'admins',
    'X-Forwarded-Access-Token': 'attacker-token',
    'X-Forwarded-Preferred-Username': 'admin',
    'X-Remote-User': 'admin',
    'X-User': 'admin',
    'X-User-Id': '1',
    'Remote-User': 'admin',
    'X-Auth-Request-User': 'admin',
    'X-Auth-Request-Email': 'admin@example.com',
    'X-Real-IP': '10.9.9.9',
    'Proxy-Authorization': 'Basic YTpi',
  };

  it('should forward neither cookies nor browser credentials nor identity headers', async () => {
    const b = await passwordLogin(suite.stack.url);
    for (const route of ['byid', 'open']) {
      const res = await request(suite.stack.url)
        .post(`/api/${route}/things`)
        .set(forged)
        .set('Cookie', `${b.cookieHeader}; other=1; theme=dark`)
        .set('X-CSRF', '1')
        .set('Origin', 'http://localhost:3000')
        .set('X-Custom', 'kept')
        .send({ a: 1 });
      expect(res.status).toBe(200);
      const seen = suite.stack.upstream.seen.at(-1)!.headers;
      expect(seen.cookie).toBeUndefined();
      for (const name of Object.keys(forged).map((n) => n.toLowerCase()))
        if (name !== 'authorization') expect(seen[name]).toBeUndefined();
      expect(seen['x-csrf']).toBeUndefined();
      expect(seen['x-custom']).toBe('kept');
      if (route === 'byid') expect(seen.authorization).toMatch(/^Bearer eyJ/);
      else expect(seen.authorization).toBeUndefined();
      expect(JSON.stringify(seen)).not.toContain(decodeURIComponent(b.cookies.get(COOKIE)!));
      expect(JSON.stringify(seen)).not.toContain('attacker-token');
    }
  });
});
