import { waitFor } from '../helpers/wait-for';
import { COOKIE, passwordLogin, rawSessionId, useSecurityStack } from './helpers';

/**
 * docs/security.md 24 (and the expiry half of 28): the idle timeout is enforced by the server: after
 * SESSION_IDLE_TIMEOUT_S without activity the next call, on /auth or through the relay, is 401
 * SESSION_EXPIRED, and the session's records are deleted, not just ignored. (30 minutes by
 * default, the ASVS L2 example; 2 s here.)
 */
describe('24: the idle timeout is enforced server-side', () => {
  const suite = useSecurityStack({ env: { SESSION_IDLE_TIMEOUT_S: '2' } });

  it('should end idle sessions at the announced time, on /auth and on the relay', async () => {
    const viaAuth = await passwordLogin(suite.stack.url);
    const viaRelay = await passwordLogin(suite.stack.url, 'zhouba');
    const view = await viaAuth.get('/auth/session');
    const idleEnds = Date.parse(view.body.idle_expires_at);
    expect(idleEnds - Date.now()).toBeLessThanOrEqual(2000);
    expect(idleEnds - Date.now()).toBeGreaterThan(1000);
    // Any call would be activity: wait on the clock alone.
    await waitFor(() => Date.now() > idleEnds + 300, 5000, 'the idle timeout');
    const a = await viaAuth.get('/auth/profile');
    expect(a.status).toBe(401);
    expect(a.body.code).toBe('SESSION_EXPIRED');
    const r = await viaRelay.get('/api/byid/x');
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('SESSION_EXPIRED');
    expect(suite.stack.upstream.seen).toEqual([]);
    for (const b of [viaAuth, viaRelay]) {
      const sid = rawSessionId(b.cookies.get(COOKIE) ?? '');
      expect(await suite.redis.exists(`${suite.stack.keyPrefix}cred:${sid}`)).toBe(0);
    }
  });
});
