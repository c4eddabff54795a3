import { COOKIE, TX_COOKIE, useCookieRun } from './helpers';

/**
 * docs/security.md 3: an explicit SameSite on every cookie; Strict on the session cookie. The one
 * Lax cookie is the OAuth transaction cookie, which the cross-site callback navigation must
 * carry: it is set only by GET /auth/oauth/login and deleted by the callback (documented in
 * docs/security.md; the whole redirect is proven in a real browser by
 * test/browser/login-flows.browser-spec.ts).
 */
describe('03: SameSite=Strict on the session cookie, Lax only for the OAuth transaction', () => {
  const run = useCookieRun();

  it('should set SameSite=Strict on every session cookie line', () => {
    const session = run.lines.filter((l) => l.cookie.name === COOKIE);
    expect(session.length).toBeGreaterThanOrEqual(6);
    for (const l of session) expect(l.cookie.attrs.get('samesite')).toBe('Strict');
  });

  it('should limit Lax to the transaction cookie of the OAuth routes, and never use None', () => {
    for (const l of run.lines) expect(l.cookie.attrs.get('samesite')).toMatch(/^(Strict|Lax)$/);
    const lax = run.lines.filter((l) => l.cookie.attrs.get('samesite') === 'Lax');
    expect(lax.length).toBeGreaterThanOrEqual(2);
    for (const l of lax) {
      expect(l.cookie.name).toBe(TX_COOKIE);
      expect(l.where).toMatch(/^GET \/auth\/oauth\/(login|callback)$/);
    }
    // Set with a 10-minute life at the start, cleared by the callback.
    const set = lax.find((l) => l.where === 'GET /auth/oauth/login')!;
    expect(set.cookie.attrs.get('max-age')).toBe('600');
    const cleared = lax.find((l) => l.where === 'GET /auth/oauth/callback')!;
    expect(cleared.cookie.attrs.get('expires')).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
  });
});
