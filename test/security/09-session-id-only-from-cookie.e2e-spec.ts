import request from 'supertest';
import { COOKIE, oauthLogin, passwordLogin, rawSessionId, useSecurityStack } from './helpers';

/**
 * docs/security.md 9: the session id counts only in the session cookie. The same id (raw or as the
 * signed cookie value) in a query string, a body, a custom header, an Authorization header or a
 * cookie of another name gets nothing; it never appears in a URL or redirect, and no Referer
 * leaves the gateway (Referrer-Policy: no-referrer). Logs: 15-no-secrets-in-logs.
 */
describe('09: the session id is accepted only from the cookie', () => {
  const suite = useSecurityStack();

  it('should ignore the id anywhere but in the session cookie', async () => {
    const victim = await passwordLogin(suite.stack.url);
    const cookieValue = victim.cookies.get(COOKIE)!;
    const carriers = [cookieValue, decodeURIComponent(cookieValue), rawSessionId(cookieValue)];
    for (const v of carriers) {
      const q = encodeURIComponent(v);
      for (const path of [
        `/auth/profile?sid=${q}`,
        `/auth/profile?${COOKIE}=${q}`,
        `/api/byid/x?sid=${q}`,
      ])
        expect((await request(suite.stack.url).get(path)).status).toBe(401);
      for (const [name, value] of [
        ['X-Session-Id', v],
        ['Authorization', `Bearer ${v}`],
        ['Cookie', `bff=${v}`],
        ['Cookie', `sid=${v}; connect.sid=${v}`],
      ] as const) {
        expect((await request(suite.stack.url).get('/auth/profile').set(name, value)).status).toBe(
          401,
        );
        expect((await request(suite.stack.url).get('/api/byid/x').set(name, value)).status).toBe(
          401,
        );
      }
      // In a body: a logout "for" the victim's id from a browser without the cookie.
      const res = await request(suite.stack.url)
        .post('/auth/logout')
        .set('X-CSRF', '1')
        .set('Content-Type', 'application/json')
        .send({ sid: v, session_id: v });
      expect(res.status).toBe(200);
      expect((await victim.get('/auth/session')).body.status).toBe('SUCCESS');
    }
    expect(suite.stack.upstream.seen).toEqual([]);
  });

  it('should keep the id out of redirects and forbid Referer', async () => {
    const run = await oauthLogin(suite.stack.url, '/landing');
    const id = run.browser.cookies.get(COOKIE)!;
    expect(run.done.headers.location).toBe('http://localhost:3000/landing');
    for (const v of [id, decodeURIComponent(id), rawSessionId(id)])
      expect(run.done.headers.location).not.toContain(v);
    expect(run.done.headers['referrer-policy']).toBe('no-referrer');
    expect((await run.browser.get('/auth/session')).headers['referrer-policy']).toBe('no-referrer');
  });
});
