import request from 'supertest';
import { ORIGIN, passwordLogin, useSecurityStack } from './helpers';

/**
 * docs/security.md 19: an unsafe request with `Sec-Fetch-Site: cross-site` is refused, and so is
 * `same-site` (a sibling subdomain is another application); without Fetch Metadata the Origin
 * must be PUBLIC_ORIGIN when present (`null` and look-alikes refused). Our one deviation, stated
 * in docs/security.md: a request with neither Sec-Fetch-Site nor Origin passes on the strength of
 * X-CSRF alone (browsers always send one of them on cross-origin requests, and the custom header
 * cannot be sent cross-origin without a CORS preflight, which the gateway never grants).
 */
describe('19: Fetch Metadata and Origin are checked on unsafe requests', () => {
  const suite = useSecurityStack();

  const unsafe = (path: string, cookie: string, headers: Record<string, string>) =>
    request(suite.stack.url).post(path).set('Cookie', cookie).set('X-CSRF', '1').set(headers);

  it('should refuse cross-site and same-site fetch metadata and foreign origins, on /auth and /api', async () => {
    const b = await passwordLogin(suite.stack.url);
    const refused: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site' },
      { 'Sec-Fetch-Site': 'cross-site', Origin: ORIGIN },
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
      { Origin: `${ORIGIN}.evil.example` },
      { Origin: 'http://localhost:3001' },
      { Origin: 'https://localhost:3000' },
      { Origin: suite.stack.url }, // the address it was reached at is not the public origin
    ];
    for (const headers of refused) {
      for (const path of ['/auth/logout', '/api/byid/x']) {
        const res = await unsafe(path, b.cookieHeader, headers);
        expect({ path, headers, status: res.status, code: res.body.code }).toEqual({
          path,
          headers,
          status: 403,
          code: 'CSRF_REJECTED',
        });
      }
    }
    expect(suite.stack.upstream.seen).toEqual([]);
    expect((await b.get('/auth/session')).body.status).toBe('SUCCESS');
  });

  it('should let same-origin requests through, and requests without either header (documented)', async () => {
    const b = await passwordLogin(suite.stack.url);
    const allowed: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'same-origin', Origin: ORIGIN },
      { 'Sec-Fetch-Site': 'same-origin' },
      { Origin: ORIGIN },
      {},
    ];
    for (const headers of allowed) {
      const res = await unsafe('/api/byid/x', b.cookieHeader, headers);
      expect({ headers, status: res.status }).toEqual({ headers, status: 200 });
    }
  });
});
