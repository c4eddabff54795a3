import { COOKIE, passwordLogin, useCookieRun } from './helpers';

/**
 * docs/security.md 5: no BFF cookie has a Domain attribute (host-only), and the session cookie has
 * Path=/. No other cookie than the session and OAuth transaction cookies is ever set.
 */
describe('05: no Domain on any cookie, Path=/ on the session cookie', () => {
  const run = useCookieRun();

  it('should set host-only cookies, the session one on Path=/', () => {
    expect(new Set(run.lines.map((l) => l.cookie.name))).toEqual(
      new Set([COOKIE, `${COOKIE}-oauth`]),
    );
    for (const l of run.lines) expect(l.cookie.attrs.has('domain')).toBe(false);
    for (const l of run.lines.filter((l) => l.cookie.name === COOKIE))
      expect(l.cookie.attrs.get('path')).toBe('/');
  });

  it("should not pass an upstream's cookie on to the browser", async () => {
    const b = await passwordLogin(run.stack.url);
    const res = await b.get('/api/open/cookie');
    expect(res.status).toBe(200);
    expect(res.setCookie).toEqual([]);
  });
});
