import { BrowserClient } from '../helpers/browser-client';
import { COOKIE, PASSWORD, passwordLogin, rawSessionId, useSecurityStack, USERS } from './helpers';

const IDLE = 60;
const ABSOLUTE = 120;
const STEP = 30;
/** Records outlive their end by this much, to answer SESSION_EXPIRED (session-ttl.ts). */
const GRACE = 60;

/**
 * docs/security.md 35: the lifetimes documented in docs/security.md ("Lifetimes") are the ones in
 * force: the session view announces the idle and absolute ends from the configuration, the Redis
 * records expire with them (plus a short grace), a pre-login record lives no longer than the idle
 * timeout (its pending step is void after PENDING_STEP_TTL_S: test/auth-flows.e2e-spec.ts "should
 * end the step when it expires"), and the OneAccess tokens are refreshed inside the session (16, 26).
 */
describe('35: session and token lifetimes are coordinated', () => {
  const suite = useSecurityStack({
    env: {
      SESSION_IDLE_TIMEOUT_S: String(IDLE),
      SESSION_ABSOLUTE_TIMEOUT_S: String(ABSOLUTE),
      PENDING_STEP_TTL_S: String(STEP),
    },
  });

  it('should announce and enforce the configured lifetimes', async () => {
    const before = Date.now();
    const b = await passwordLogin(suite.stack.url);
    const view = (await b.get('/auth/session')).body;
    const near = (value: string, seconds: number) => {
      const t = Date.parse(value);
      expect(t).toBeGreaterThanOrEqual(before + seconds * 1000 - 1000);
      expect(t).toBeLessThanOrEqual(Date.now() + seconds * 1000 + 1000);
    };
    near(view.expires_at, ABSOLUTE);
    near(view.idle_expires_at, IDLE);
    const sid = rawSessionId(b.cookies.get(COOKIE)!);
    const credTtl = await suite.redis.ttl(`${suite.stack.keyPrefix}cred:${sid}`);
    expect(credTtl).toBeGreaterThan(IDLE);
    expect(credTtl).toBeLessThanOrEqual(IDLE + GRACE);
    const sessTtl = await suite.redis.ttl(`${suite.stack.keyPrefix}sess:${sid}`);
    expect(sessTtl).toBeGreaterThan(IDLE);
    expect(sessTtl).toBeLessThanOrEqual(ABSOLUTE + GRACE);

    const step = new BrowserClient(suite.stack.url);
    await step.post('/auth/login/password', { user_name: USERS.mfa.user_name, password: PASSWORD });
    const pending = (await step.get('/auth/session')).body;
    expect(pending.status).toBe('MFA_AUTH');
    expect(pending.expires_at).toBeNull();
    const stepTtl = await suite.redis.ttl(
      `${suite.stack.keyPrefix}sess:${rawSessionId(step.cookies.get(COOKIE)!)}`,
    );
    expect(stepTtl).toBeLessThanOrEqual(IDLE + GRACE);
  });
});
