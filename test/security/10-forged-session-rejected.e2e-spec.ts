import { randomBytes } from 'node:crypto';
import { BrowserClient } from '../helpers/browser-client';
import { signedSessionCookie } from '../helpers/session-cookie';
import { COOKIE, PASSWORD, rawSessionId, USERS, useSecurityStack } from './helpers';

const SECRET = `secret-${randomBytes(24).toString('hex')}`;

/**
 * docs/security.md 10: an unknown or forged session id is refused and never adopted (strict mode):
 * a cookie whose signature does not verify, and even a correctly signed one naming an id the
 * store does not hold, is treated as no session; signing in with either gets a new id, so an
 * attacker cannot fix a victim's session id in advance. (Logging of the event: see
 * docs/security.md, row 10.)
 */
describe('10: unknown and forged session ids are rejected, never adopted', () => {
  const suite = useSecurityStack({ env: { SESSION_SECRETS: SECRET } });

  const withCookie = (pair: string) => {
    const b = new BrowserClient(suite.stack.url);
    const eq = pair.indexOf('=');
    b.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    return b;
  };

  it('should treat a forged or unknown id as no session and issue a fresh id at login', async () => {
    const chosen = randomBytes(24).toString('base64url');
    const forged = withCookie(
      signedSessionCookie(COOKIE, chosen, 'not-the-secret-0123456789abcdefghij'),
    );
    const unknown = withCookie(signedSessionCookie(COOKIE, chosen, SECRET));
    const unsigned = withCookie(`${COOKIE}=${chosen}`);
    for (const b of [forged, unknown, unsigned]) {
      const view = await b.get('/auth/session');
      expect(view.status).toBe(200);
      expect(view.body.status).toBe('ANONYMOUS');
      expect((await b.get('/auth/profile')).status).toBe(401);
      expect((await b.get('/api/byid/x')).status).toBe(401);
      const login = await b.post('/auth/login/password', {
        user_name: USERS.plain.user_name,
        password: PASSWORD,
      });
      expect(login.body.status).toBe('SUCCESS');
      expect(rawSessionId(b.cookies.get(COOKIE)!)).not.toBe(chosen);
      expect(rawSessionId(b.cookies.get(COOKIE)!)).toMatch(/^[A-Za-z0-9_-]{32}$/);
    }
  });

  it('should read every spelling of a genuine cookie as express-session does, on every path', async () => {
    const owner = new BrowserClient(suite.stack.url);
    const login = await owner.post('/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    expect(login.body.status).toBe('SUCCESS');
    const written = owner.cookies.get(COOKIE)!;
    const value = decodeURIComponent(written);
    const hex = (c: string) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    // The spellings express-session (cookie.parse) accepts: other escapes, lower-case hex, quotes.
    for (const spelling of [
      `%73${written.slice(1)}`,
      written.replace('%3A', '%3a'),
      [...value].map(hex).join(''),
      `"${written}"`,
    ]) {
      const b = withCookie(`${COOKIE}=${spelling}`);
      // The session view's fast path, express-session (Nest) and the relay agree.
      expect({ spelling, view: (await b.get('/auth/session')).body.status }).toEqual({
        spelling,
        view: 'SUCCESS',
      });
      expect({ spelling, profile: (await b.get('/auth/profile')).status }).toEqual({
        spelling,
        profile: 200,
      });
      expect({ spelling, relay: (await b.get('/api/byid/x')).status }).toEqual({
        spelling,
        relay: 200,
      });
    }
  });

  it("should not let a planted pre-login session become the victim's signed-in session", async () => {
    const attacker = new BrowserClient(suite.stack.url);
    await attacker.get('/auth/captcha'); // a real, store-backed pre-login session
    const planted = attacker.cookies.get(COOKIE)!;
    const victim = new BrowserClient(suite.stack.url);
    victim.cookies.set(COOKIE, planted);
    await victim.post('/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    expect(victim.cookies.get(COOKIE)).not.toBe(planted);
    expect((await victim.get('/auth/session')).body.status).toBe('SUCCESS');
    expect((await attacker.get('/auth/session')).body.status).toBe('ANONYMOUS');
    expect((await attacker.get('/auth/profile')).status).toBe(401);
  });
});
