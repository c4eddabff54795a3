import { EchoUpstream } from '../helpers/echo-upstream';
import { rawRequest } from '../helpers/raw-http';
import { COOKIE, ORIGIN, passwordLogin, useSecurityStack } from './helpers';

/**
 * docs/security.md 36: upstreams come only from the static API_ROUTES allowlist; `..` (plain or
 * encoded), encoded slashes and backslashes, `@`, `\` and absolute-URL tricks cannot leave the
 * route's target; each route answers only its listed methods. A second server stands for
 * "another host": it must never be reached.
 */
describe('36: the relay reaches only its configured targets', () => {
  const suite = useSecurityStack();
  let other: EchoUpstream;

  beforeAll(async () => {
    other = await new EchoUpstream().start();
  });
  afterAll(async () => {
    await other?.close();
  });

  it('should keep every path under its route and reach no other host', async () => {
    const b = await passwordLogin(suite.stack.url);
    const headers = { Cookie: `${COOKIE}=${b.cookies.get(COOKIE)!}` };
    const host = `127.0.0.1:${other.port}`;
    const tricks = [
      '/api/byid/../open/x',
      '/api/byid/..%2fopen%2fx',
      '/api/byid/%2e%2e/%2e%2e/x',
      '/api/byid/%2E%2E%2F%2E%2E%2Fx',
      '/api/byid/.%2e/x',
      '/api/byid/x%5c..%5c..%5cy',
      '/api/byid\\..\\open',
      '/api/byid/..\\x',
      '/api/byid/%00x',
      `/api/byid@${host}/x`,
      `/api/byid/@${host}/x`,
      `/api/byid//${host}/x`,
      `/api/byid/http://${host}/x`,
      `/api/byid/%2f%2f${host}/x`,
      `/api/${host}/x`,
      '/api/nosuchroute/x',
      '/api/BYID/x',
      '/api/byid%2fx',
      `http://${host}/api/byid/x`,
    ];
    const results: string[] = [];
    for (const path of tricks) {
      const before = suite.stack.upstream.seen.length;
      const { status } = await rawRequest(suite.stack.url, 'GET', path, headers);
      const reached = suite.stack.upstream.seen.slice(before).map((s) => s.url);
      results.push(`${path} -> ${status}${reached.length ? ` ${reached.join(',')}` : ''}`);
      // Either refused, or relayed to a path under the route's own target (/i on the echo host).
      if (status < 400) for (const url of reached) expect(url.startsWith('/i/')).toBe(true);
    }
    expect(other.seen).toEqual([]);
    // Traversal and encoded separators are refused outright, never forwarded.
    for (const line of results.filter((l) => /\.\.|%2e|%2f|%5c|\\|%00/i.test(l.split(' ->')[0])))
      expect(line).toMatch(/-> 4\d\d$/);
    expect(
      suite.stack.upstream.seen.every((s) => s.url.startsWith('/i/') || s.url.startsWith('/o/')),
    ).toBe(true);
  });

  it('should answer only the methods a route lists', async () => {
    const b = await passwordLogin(suite.stack.url);
    expect((await b.get('/api/readonly/x')).status).toBe(200);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const { status } = await rawRequest(suite.stack.url, method, '/api/readonly/x', {
        Cookie: `${COOKIE}=${b.cookies.get(COOKIE)!}`,
        'X-CSRF': '1',
        Origin: ORIGIN,
      });
      expect({ method, status }).toEqual({ method, status: 404 });
    }
    expect(
      suite.stack.upstream.seen.filter((s) => s.url.startsWith('/r/')).map((s) => s.method),
    ).toEqual(['GET']);
  });
});
