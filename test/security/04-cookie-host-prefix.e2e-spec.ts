import { createTestApp } from '../helpers/create-test-app';
import { COOKIE, parseSetCookie, passwordLogin, useCookieRun } from './helpers';

/**
 * docs/security.md 4: the session cookie's name starts with `__Host-`, with Path=/, Secure and no
 * Domain (what browsers enforce for the prefix). Our contract's default name is `__Host-bff`;
 * RFC 10017's `__Host-Http-` form is one setting away (COOKIE_NAME), and the transaction
 * cookie follows it.
 */
describe('04: the cookie name has the __Host- prefix and its rules', () => {
  const run = useCookieRun();

  it('should name every cookie __Host- with Path=/, Secure and no Domain', () => {
    expect(run.lines.length).toBeGreaterThan(0);
    for (const l of run.lines) {
      expect(l.cookie.name.startsWith('__Host-')).toBe(true);
      expect(l.cookie.attrs.get('path')).toBe('/');
      expect(l.cookie.attrs.has('secure')).toBe(true);
      expect(l.cookie.attrs.has('domain')).toBe(false);
    }
    expect(run.lines.some((l) => l.cookie.name === COOKIE)).toBe(true);
  });

  it('should accept the RFC 10017 name __Host-Http-bff', async () => {
    const app = await createTestApp({ ...run.stack.env, COOKIE_NAME: '__Host-Http-bff' });
    try {
      const b = await passwordLogin(app.url);
      expect([...b.cookies.keys()]).toEqual(['__Host-Http-bff']);
      const res = await fetch(`${app.url}/auth/oauth/login`, { redirect: 'manual' });
      const tx = parseSetCookie(res.headers.getSetCookie()[0]);
      expect(tx.name).toBe('__Host-Http-bff-oauth');
    } finally {
      await app.close();
    }
  });
});
