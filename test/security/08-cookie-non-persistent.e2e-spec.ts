import { COOKIE, TX_COOKIE, useCookieRun } from './helpers';

/**
 * docs/security.md 8: the session cookie is a browser-session cookie (no Expires, no Max-Age); the
 * only Expires on it is the 1970 date that deletes it at logout. The OAuth transaction cookie's
 * Max-Age (600 s) is far below the absolute session timeout.
 */
describe('08: the session cookie is non-persistent', () => {
  const run = useCookieRun();

  it('should set the session cookie without Expires or Max-Age', () => {
    const set = run.lines.filter((l) => l.cookie.name === COOKIE && l.cookie.value !== '');
    expect(set.length).toBeGreaterThanOrEqual(5);
    for (const l of set) {
      expect(l.cookie.attrs.has('max-age')).toBe(false);
      expect(l.cookie.attrs.has('expires')).toBe(false);
    }
    const cleared = run.lines.filter((l) => l.cookie.name === COOKIE && l.cookie.value === '');
    expect(cleared.map((l) => l.where)).toEqual(['POST /auth/logout']);
    expect(cleared[0].cookie.attrs.get('expires')).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
  });

  it("should keep the transaction cookie's lifetime under the absolute timeout", () => {
    const tx = run.lines.filter(
      (l) => l.cookie.name === TX_COOKIE && l.cookie.attrs.has('max-age'),
    );
    expect(tx.length).toBeGreaterThan(0);
    for (const l of tx) expect(Number(l.cookie.attrs.get('max-age'))).toBeLessThanOrEqual(600);
  });
});
