import request from 'supertest';
import { passwordLogin, useSecurityStack } from './helpers';

/**
 * docs/security.md 20: the allowlist is empty (a same-origin SPA): no preflight or request from any
 * other origin gets Access-Control-Allow-Origin (nor Allow-Credentials), and `*` is never sent.
 */
describe('20: no CORS for any other origin', () => {
  const suite = useSecurityStack();

  it('should grant no preflight and answer no request with CORS headers', async () => {
    const b = await passwordLogin(suite.stack.url);
    const origins = ['https://evil.example', 'null', 'http://localhost:3000.evil.example'];
    const paths = [
      '/auth/login/password',
      '/auth/session',
      '/auth/logout',
      '/api/byid/x',
      '/admin/sessions',
      '/healthz',
    ];
    const answers: request.Response[] = [];
    for (const origin of origins) {
      for (const path of paths) {
        answers.push(
          await request(suite.stack.url)
            .options(path)
            .set('Origin', origin)
            .set('Access-Control-Request-Method', 'POST')
            .set('Access-Control-Request-Headers', 'x-csrf, content-type'),
        );
        answers.push(
          await request(suite.stack.url)
            .get(path)
            .set('Origin', origin)
            .set('Cookie', b.cookieHeader),
        );
      }
    }
    expect(answers).toHaveLength(36);
    for (const res of answers) {
      const cors = Object.keys(res.headers).filter((h) => h.startsWith('access-control-'));
      expect(cors).toEqual([]);
    }
    // A preflight is never a success the browser could act on.
    for (const res of answers.filter((_, i) => i % 2 === 0))
      expect(res.status).toBeGreaterThanOrEqual(400);
  });
});
