import request from 'supertest';
import { BrowserClient, Recorded } from '../helpers/browser-client';
import { mfaLogin, oauthLogin, USERS, useSecurityStack } from './helpers';

/**
 * docs/security.md 12: every response that sets the cookie or carries user data has
 * `Cache-Control: no-store`: session views, logins, profile, errors, logout, the OAuth
 * redirects, the admin API, and relayed answers (unless the upstream says otherwise about its
 * own data).
 */
describe('12: Cache-Control: no-store', () => {
  const suite = useSecurityStack();

  it('should answer no-store on everything that sets the cookie or carries user data', async () => {
    const recorded: Recorded[] = [];
    const b = new BrowserClient(suite.stack.url, recorded);
    await b.get('/auth/session');
    await mfaLogin(suite.stack.url, suite.stack.simulator, b);
    await b.get('/auth/session');
    await b.get('/auth/profile');
    await b.get('/auth/social/accounts');
    await b.get('/api/byid/data');
    await b.post('/auth/login/password', { user_name: USERS.other.user_name, password: 'wrong-1' });
    await b.post('/auth/logout');
    const oauth = await oauthLogin(suite.stack.url);
    const admin = await request(suite.stack.url)
      .get('/admin/sessions')
      .query({ user_id: USERS.plain.id })
      .set(suite.stack.admin());

    const all = [
      ...recorded.map((r) => ({ what: `${r.method} ${r.path} ${r.status}`, headers: r.headers })),
      { what: 'GET /auth/oauth/callback', headers: oauth.done.headers },
      { what: 'GET /admin/sessions', headers: admin.headers },
    ];
    expect(all.length).toBeGreaterThan(12);
    expect(all.filter((r) => r.headers['set-cookie']).length).toBeGreaterThanOrEqual(3);
    const missing = all.filter((r) => r.headers['cache-control'] !== 'no-store').map((r) => r.what);
    expect(missing).toEqual([]);
  });
});
