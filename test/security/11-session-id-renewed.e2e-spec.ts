import { BrowserClient } from '../helpers/browser-client';
import {
  COOKIE,
  mfaLogin,
  oauthLogin,
  PASSWORD,
  rawSessionId,
  useSecurityStack,
  USERS,
} from './helpers';

/**
 * docs/security.md 11: the session id changes at every privilege change (login, MFA completed,
 * password changed), the old id is dead at once (its record is deleted, so replaying the old
 * cookie is anonymous and 401 on anything that needs a login), and pre-login state lives in a
 * transient record that is deleted on completion (the pending step with its state_token inside
 * the old session record; the OAuth transaction under `once:oauth:<state>`).
 */
describe('11: the session id is renewed at every privilege change', () => {
  const suite = useSecurityStack();
  const sessKey = (cookie: string) => `${suite.stack.keyPrefix}sess:${rawSessionId(cookie)}`;

  async function expectDead(cookie: string): Promise<void> {
    const replay = new BrowserClient(suite.stack.url);
    replay.cookies.set(COOKIE, cookie);
    expect((await replay.get('/auth/session')).body.status).toBe('ANONYMOUS');
    expect((await replay.get('/auth/profile')).status).toBe(401);
    expect((await replay.get('/api/byid/x')).status).toBe(401);
    expect(await suite.redis.exists(sessKey(cookie))).toBe(0);
  }

  it('should renew the id at password login and kill the pre-login one', async () => {
    const b = new BrowserClient(suite.stack.url);
    await b.get('/auth/captcha');
    const before = b.cookies.get(COOKIE)!;
    expect(await suite.redis.exists(sessKey(before))).toBe(1);
    await b.post('/auth/login/password', { user_name: USERS.plain.user_name, password: PASSWORD });
    expect(b.cookies.get(COOKIE)).not.toBe(before);
    await expectDead(before);
  });

  it('should renew the id when MFA completes and drop the step with its state_token', async () => {
    const { browser, stepCookie } = await mfaLogin(suite.stack.url, suite.stack.simulator);
    expect(browser.cookies.get(COOKIE)).not.toBe(stepCookie);
    await expectDead(stepCookie);
    // The step cannot be continued with the old cookie either.
    const replay = new BrowserClient(suite.stack.url);
    replay.cookies.set(COOKIE, stepCookie);
    expect((await replay.post('/auth/mfa/sms', { verify_code: '123456' })).body.code).toBe(
      'NO_PENDING_STEP',
    );
  });

  it('should renew the id when an expired password is changed', async () => {
    const b = new BrowserClient(suite.stack.url);
    await b.post('/auth/login/password', {
      user_name: USERS.expired.user_name,
      password: PASSWORD,
    });
    const step = b.cookies.get(COOKIE)!;
    const changed = await b.post('/auth/password/update', {
      old_password: PASSWORD,
      new_password: 'N3wPassw0rd!x',
    });
    expect(changed.body.status).toBe('SUCCESS');
    expect(b.cookies.get(COOKIE)).not.toBe(step);
    await expectDead(step);
  });

  it('should renew the id when a signed-in user signs in again', async () => {
    const b = new BrowserClient(suite.stack.url);
    await b.post('/auth/login/password', { user_name: USERS.plain.user_name, password: PASSWORD });
    const first = b.cookies.get(COOKIE)!;
    await b.post('/auth/login/password', { user_name: USERS.other.user_name, password: PASSWORD });
    expect(b.cookies.get(COOKIE)).not.toBe(first);
    await expectDead(first);
    expect(await suite.redis.exists(`${suite.stack.keyPrefix}cred:${rawSessionId(first)}`)).toBe(0);
  });

  it('should delete the OAuth transaction record when the callback completes', async () => {
    const run = await oauthLogin(suite.stack.url);
    expect(run.done.headers.location).toBe('http://localhost:3000/home');
    expect(await suite.redis.exists(`${suite.stack.keyPrefix}once:oauth:${run.state}`)).toBe(0);
    expect(await suite.redis.keys(`${suite.stack.keyPrefix}once:*`)).toEqual([]);
  });
});
