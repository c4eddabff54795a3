import { BrowserClient } from '../helpers/browser-client';
import { COOKIE, passwordLogin, rawSessionId, USERS, useSecurityStack } from './helpers';

/**
 * docs/security.md 6: the session id is opaque: at least 128 bits from a CSPRNG (express-session's
 * uid-safe, 24 random bytes = 32 base64url characters = 192 bits), decoding it yields no JSON,
 * JWT or personal data, and no two sessions share one.
 */
describe('06: the session id is opaque and random', () => {
  const suite = useSecurityStack();

  it('should issue 192-bit random ids carrying nothing, never the same twice', async () => {
    const values: string[] = [];
    for (let i = 0; i < 40; i++) {
      const b = new BrowserClient(suite.stack.url);
      await b.get('/auth/captcha'); // a pre-login session: a fresh id each time
      values.push(b.cookies.get(COOKIE)!);
    }
    for (let i = 0; i < 5; i++)
      values.push((await passwordLogin(suite.stack.url)).cookies.get(COOKIE)!);
    const ids = values.map(rawSessionId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [i, id] of ids.entries()) {
      // s:<id>.<HMAC-SHA256 signature>, URL-encoded: nothing else in the cookie.
      expect(decodeURIComponent(values[i])).toMatch(/^s:[A-Za-z0-9_-]{32}\.[A-Za-z0-9+/]{43}$/);
      expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const decoded = Buffer.from(id, 'base64url');
      expect(decoded).toHaveLength(24);
      expect(() => {
        JSON.parse(decoded.toString('utf8'));
      }).toThrow();
      const text = decoded.toString('latin1');
      // (No JWT either: the id matches [A-Za-z0-9_-]{32}, and a JWT needs its dots.)
      for (const pii of [USERS.plain.user_name, USERS.plain.mobile, USERS.plain.id])
        expect(text.includes(pii) || id.includes(pii)).toBe(false);
    }
    // Random, not a counter or a clock: each of the 24 bytes varies across the ids.
    const bytes = ids.map((id) => Buffer.from(id, 'base64url'));
    for (let p = 0; p < 24; p++) expect(new Set(bytes.map((b) => b[p])).size).toBeGreaterThan(20);
  });
});
