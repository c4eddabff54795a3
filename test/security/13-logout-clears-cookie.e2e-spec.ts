import { COOKIE, parseSetCookie, passwordLogin, useSecurityStack } from './helpers';

/**
 * docs/security.md 13: logout expires the cookie with the very attributes it was set with (name,
 * Path, HttpOnly, Secure, SameSite; no Domain either time) and sends Clear-Site-Data with
 * "cookies" (not "cache" or "storage": the SPA's own storage is the SPA's; see docs/security.md).
 */
describe('13: logout expires the cookie as it was set and sends Clear-Site-Data', () => {
  const suite = useSecurityStack();

  it('should expire the cookie with identical attributes and ask the browser to clear cookies', async () => {
    const b = await passwordLogin(suite.stack.url);
    const set = parseSetCookie(
      (
        await b.post('/auth/login/password', { user_name: 'zhangsan', password: 'Passw0rd!2024' })
      ).setCookie.find((c) => c.startsWith(`${COOKIE}=`))!,
    );
    const res = await b.post('/auth/logout');
    expect(res.status).toBe(200);
    expect(res.headers['clear-site-data']).toContain('"cookies"');
    const cleared = parseSetCookie(res.setCookie.find((c) => c.startsWith(`${COOKIE}=`))!);
    expect(cleared.value).toBe('');
    expect(cleared.attrs.get('expires')).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    const attrs = (c: typeof set) => {
      const m = new Map(c.attrs);
      m.delete('expires');
      return Object.fromEntries(m);
    };
    expect(attrs(cleared)).toEqual(attrs(set));
    expect(attrs(set)).toEqual({ path: '/', httponly: '', secure: '', samesite: 'Strict' });
    // Nothing else after the expiry: the browser is left without a session cookie.
    expect(res.setCookie.filter((c) => c.startsWith(`${COOKIE}=`))).toHaveLength(1);
    expect(b.cookies.has(COOKIE)).toBe(false);
  });
});
