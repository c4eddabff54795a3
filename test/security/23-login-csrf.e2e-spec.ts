import request from 'supertest';
import {
  oauthLogin,
  ORIGIN,
  PASSWORD,
  setCookieLines,
  useSecurityStack,
  TX_COOKIE,
} from './helpers';

/**
 * docs/security.md 23 (login CSRF): login endpoints need the custom header and a same origin (18, 19);
 * the OAuth `state` is 256 random bits, single-use, bound to the browser that started the login
 * (transaction cookie) and expires within 10 minutes (Redis TTL and cookie Max-Age); PKCE S256 is
 * sent by default (`OAUTH_PKCE=false` turns it off; test/oidc.e2e-spec.ts runs both against the
 * simulator, docs/security.md row 23).
 */
describe('23: login CSRF is refused', () => {
  const suite = useSecurityStack();

  it('should refuse a cross-site embedded login', async () => {
    const login = (headers: Record<string, string>) =>
      request(suite.stack.url)
        .post('/auth/login/password')
        .set(headers)
        .set('Content-Type', 'application/json')
        .send({ user_name: 'zhangsan', password: PASSWORD });
    const refused: Record<string, string>[] = [
      { Origin: ORIGIN },
      { 'X-CSRF': '1', Origin: 'https://evil.example' },
      { 'X-CSRF': '1', 'Sec-Fetch-Site': 'cross-site' },
    ];
    for (const headers of refused) {
      const res = await login(headers);
      expect(res.status).toBe(403);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect((await login({ 'X-CSRF': '1', Origin: ORIGIN })).body.status).toBe('SUCCESS');
  });

  it('should bind the OAuth state to the browser, use it once, and keep it 10 minutes at most', async () => {
    const pattern = `${suite.stack.keyPrefix}once:oauth:*`;
    const before = new Set(await suite.redis.keys(pattern));
    const start = await request(suite.stack.url).get('/auth/oauth/login');
    const state = new URL(start.headers.location).searchParams.get('state')!;
    expect(Buffer.from(state, 'base64url')).toHaveLength(32);
    const authorize = new URL(start.headers.location).searchParams;
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // One new record, keyed by neither the state nor the cookie in clear.
    const added = (await suite.redis.keys(pattern)).filter((k) => !before.has(k));
    expect(added).toHaveLength(1);
    expect(added[0]).not.toContain(state);
    const ttl = await suite.redis.ttl(added[0]);
    expect(ttl).toBeGreaterThan(590);
    expect(ttl).toBeLessThanOrEqual(600);
    const tx = setCookieLines(start).find((c) => c.startsWith(`${TX_COOKIE}=`))!;
    expect(tx).toMatch(/Max-Age=600;/);

    // The attacker starts a login and has OneAccess approve it, then makes the victim's browser
    // (which has no transaction cookie for it) follow the callback: refused.
    const attackerStart = await request(suite.stack.url).get('/auth/oauth/login');
    const approved = await fetch(attackerStart.headers.location, { redirect: 'manual' });
    const callback = new URL(approved.headers.get('location')!);
    const planted = await request(suite.stack.url).get(callback.pathname + callback.search);
    expect(planted.headers.location).toBe(`${ORIGIN}/?auth_error=invalid_state`);
    // Replaying a completed callback, even with its own transaction cookie.
    const done = await oauthLogin(suite.stack.url);
    const replay = await request(suite.stack.url)
      .get(done.callback.pathname + done.callback.search)
      .set('Cookie', done.txCookie);
    expect(replay.headers.location).toBe(`${ORIGIN}/?auth_error=invalid_state`);
    for (const res of [planted, replay])
      expect(setCookieLines(res).some((c) => c.startsWith('__Host-bff=s'))).toBe(false);
  });
});
