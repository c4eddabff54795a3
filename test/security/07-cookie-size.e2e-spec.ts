import request from 'supertest';
import { COOKIE, passwordLogin, setCookieLines, TX_COOKIE, useSecurityStack } from './helpers';

/**
 * docs/security.md 7: each cookie's name and value stay far under 4096 bytes, and the browser's
 * Cookie header for the gateway stays bounded however many login tabs run at once: the OAuth
 * transaction cookie has one fixed name, so ten parallel logins leave one cookie, not ten.
 */
describe('07: cookie sizes stay bounded', () => {
  const suite = useSecurityStack();

  it('should keep each cookie small and the Cookie header bounded with 10 parallel login tabs', async () => {
    const b = await passwordLogin(suite.stack.url);
    const jar = new Map(b.cookies);
    const starts = await Promise.all(
      Array.from({ length: 10 }, () =>
        request(suite.stack.url).get('/auth/oauth/login').set('Cookie', b.cookieHeader),
      ),
    );
    for (const res of starts) {
      for (const line of setCookieLines(res)) {
        const pair = line.split(';')[0];
        expect(Buffer.byteLength(pair)).toBeLessThan(200);
        const eq = pair.indexOf('=');
        jar.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
    }
    expect([...jar.keys()].sort()).toEqual([COOKIE, TX_COOKIE]);
    const header = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    for (const [k, v] of jar) expect(Buffer.byteLength(`${k}=${v}`)).toBeLessThan(4096);
    expect(Buffer.byteLength(header)).toBeLessThan(300);
    console.info(
      `07: Cookie header with a session and 10 login tabs: ${Buffer.byteLength(header)} bytes`,
    );
  });
});
