import { randomBytes } from 'node:crypto';
import { DEV_SESSION_SECRET } from '../src/config/session.config';
import { BrowserClient, Reply } from './helpers/browser-client';
import { createTestApp, TestApp } from './helpers/create-test-app';
import { sendCode, simControl, solveCaptcha, solveLoginCaptcha } from './helpers/flows';
import { GatewayStack, sharedStackEnv, startGatewayStack } from './helpers/gateway-stack';
import { PASSWORD, sameBrowserOn, USERS } from './security/helpers';

/**
 * Issue 17 rows 1, 2 and 4: nothing a stranger does without the password or the SMS code keeps
 * the owner out (docs/api.md section 7), and the stranger is still captcha-gated, stopped, and
 * never gets OneAccess to lock the account. Two gateway instances share one Redis; OneAccess is
 * the simulator, whose journal counts the password logins it saw and whose lockout state says
 * whether the account was ever locked.
 */
const THRESHOLD = 10;
const CAPTCHA_AFTER = 3;
const HARD_STOP = 9;
const NEW_PASSWORD = 'N3wPassw0rd!2026';
/** Both instances: behind a proxy on loopback, per-address limits generous enough to keep out of the way. */
const ENV = {
  TRUST_PROXY: 'loopback',
  ONEACCESS_LOCKOUT_THRESHOLD: String(THRESHOLD),
  RATE_LIMITS: JSON.stringify({ login_per_ip: 200, captcha_per_ip: 500 }),
};

interface JournalEntry {
  path: string;
  error?: string;
}

describe('Account protection a stranger cannot turn against the owner (issue 17)', () => {
  let stack: GatewayStack;
  let second: TestApp;
  let lastIp = 0;
  /** A browser at its own address (the proxy's X-Forwarded-For), on instance A or B. */
  const from = (address = `198.51.100.${++lastIp}`, url = stack.gateway.url) => {
    const b = new BrowserClient(url);
    b.headers['X-Forwarded-For'] = address;
    return b;
  };
  const password = (b: BrowserClient, user_name: string, pw: string) =>
    b.post('/auth/login/password', { user_name, password: pw });
  const lockout = (userName: string) =>
    simControl<{ failures: number; locked: boolean }>(
      stack.simulator,
      'GET',
      `lockout?user_name=${userName}`,
    );
  const upstreamPasswordLogins = async () =>
    (await simControl<JournalEntry[]>(stack.simulator, 'GET', 'journal')).filter(
      (e) => e.path === '/api/v2/sdk/login',
    );
  const signedIn = (res: Reply) => {
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ authenticated: true, status: 'SUCCESS' });
  };
  /** The owner, at an address of their own: SMS login with a code sent to their phone. */
  const ownerSmsLogin = async (mobile: string, b = from()) => {
    const code = await sendCode(b, stack.simulator, mobile, 'login');
    return b.post('/auth/login/sms', { mobile, verify_code: code });
  };
  const ownerReset = async (mobile: string, pw: string, b = from()) => {
    const code = await sendCode(b, stack.simulator, mobile, 'reset_password');
    return b.post('/auth/password/reset', { mobile, verify_code: code, password: pw });
  };
  /** A stranger who solves the captcha whenever asked, until the gateway stops them. */
  const strangerUntilStopped = async (b: BrowserClient, userName: string, tries: number) => {
    const statuses: number[] = [];
    for (let i = 0; i < tries; i++) {
      let res = await password(b, userName, `wrong-${i}`);
      if (res.body.code === 'CAPTCHA_REQUIRED') {
        expect((await solveLoginCaptcha(b, stack.simulator, userName)).status).toBe(200);
        res = await password(b, userName, `wrong-${i}`);
      }
      statuses.push(res.status);
    }
    return statuses;
  };

  beforeAll(async () => {
    stack = await startGatewayStack({
      env: ENV,
      simulator: { lockoutThreshold: THRESHOLD, lockoutSeconds: 600, smsResendIntervalS: 0 },
    });
    second = await createTestApp({ ...sharedStackEnv(stack), ...ENV });
  }, 60_000);
  afterAll(async () => {
    await second?.close();
    await stack?.close();
  });

  it("row 1: a stranger's wrong SMS codes, without session or captcha, leave the owner's SMS login and reset working", async () => {
    const { mobile } = USERS.plain;
    const stranger = from();
    for (let i = 0; i < 10; i++) {
      const code = String(100000 + i);
      expect((await stranger.post('/auth/login/sms', { mobile, verify_code: code })).status).toBe(
        401,
      );
      const reset = { mobile, verify_code: code, password: NEW_PASSWORD };
      expect((await stranger.post('/auth/password/reset', reset)).status).not.toBe(429);
    }
    // The stranger spent their own share only: the next wrong code is theirs to be refused.
    const refused = await stranger.post('/auth/login/sms', { mobile, verify_code: '999999' });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('RATE_LIMITED');

    signedIn(await ownerSmsLogin(mobile));
    expect((await ownerReset(mobile, NEW_PASSWORD)).status).toBe(200);
    signedIn(await password(from(), USERS.plain.user_name, NEW_PASSWORD));
  });

  it("row 1: each flow has its own counters, so wrong login codes from the owner's own address do not block a reset", async () => {
    const { mobile } = USERS.warn;
    const shared = '203.0.113.77';
    for (let i = 0; i < 10; i++)
      await from(shared).post('/auth/login/sms', { mobile, verify_code: String(200000 + i) });
    expect(
      (await from(shared).post('/auth/login/sms', { mobile, verify_code: '999999' })).status,
    ).toBe(429);
    expect((await ownerReset(mobile, NEW_PASSWORD, from(shared))).status).toBe(200);
  });

  it('row 2: a stopped account is lifted by proving the phone, and the NEW password works at once', async () => {
    const owner = USERS.other;
    const stranger = from();
    for (let i = 0; i < CAPTCHA_AFTER; i++)
      expect((await password(stranger, owner.user_name, `free-${i}`)).status).toBe(401);
    expect((await solveLoginCaptcha(stranger, stack.simulator, owner.user_name)).status).toBe(200);
    const parallel = await Promise.all(
      Array.from({ length: 6 }, (_, i) => password(stranger, owner.user_name, `par-${i}`)),
    );
    expect(parallel.filter((r) => r.status === 401)).toHaveLength(1);
    // The stranger keeps solving captchas until the stop: no Retry-After that would hand them a
    // schedule, and a message telling the owner what lifts it.
    const statuses = await strangerUntilStopped(stranger, owner.user_name, HARD_STOP);
    expect(statuses.slice(-3)).toEqual([429, 429, 429]);
    const stopped = await password(from(), owner.user_name, PASSWORD);
    expect(stopped.status).toBe(429);
    expect(stopped.body.code).toBe('RATE_LIMITED');
    expect(stopped.body.message).toMatch(/SMS/);
    expect(stopped.headers['retry-after']).toBeUndefined();
    expect(await lockout(owner.user_name)).toEqual({ failures: HARD_STOP, locked: false });
    // The stop outlives a SESSION_SECRETS rotation: an instance whose first secret is new (the
    // old one kept second) still holds it, and so would a rotation of every instance.
    const rotated = await createTestApp({
      ...sharedStackEnv(stack),
      ...ENV,
      SESSION_SECRETS: `${randomBytes(24).toString('hex')},${DEV_SESSION_SECRET}`,
    });
    try {
      const afterRotation = await password(from(undefined, rotated.url), owner.user_name, PASSWORD);
      expect(afterRotation.status).toBe(429);

      signedIn(await ownerSmsLogin(owner.mobile));
      expect((await ownerReset(owner.mobile, NEW_PASSWORD)).status).toBe(200);
      signedIn(await password(from(undefined, rotated.url), owner.user_name, NEW_PASSWORD));
    } finally {
      await rotated.close();
    }
    signedIn(await password(from(), owner.user_name, NEW_PASSWORD));
    expect(await lockout(owner.user_name)).toEqual({ failures: 0, locked: false });
  });

  it('row 4: one captcha buys one attempt, even for 8 parallel attempts on two instances', async () => {
    const name = 'nobody-race';
    const a = from();
    for (let i = 0; i < CAPTCHA_AFTER; i++)
      expect((await password(a, name, `w-${i}`)).status).toBe(401);
    expect((await password(a, name, 'w-x')).body.code).toBe('CAPTCHA_REQUIRED');
    expect((await solveLoginCaptcha(a, stack.simulator, name)).status).toBe(200);
    await simControl(stack.simulator, 'DELETE', 'journal');
    const b = sameBrowserOn(second.url, a);
    b.headers['X-Forwarded-For'] = a.headers['X-Forwarded-For'];
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => password(i % 2 ? b : a, name, `race-${i}`)),
    );
    expect((await upstreamPasswordLogins()).length).toBeLessThanOrEqual(1);
    expect(answers.filter((r) => r.status === 401).length).toBeLessThanOrEqual(1);
    // the rest: captcha required, or (past the stop's count) stopped; none reached OneAccess
    expect(answers.every((r) => [401, 409, 429].includes(r.status))).toBe(true);
  });

  it('row 4 kin: one SMS captcha buys one send, even for parallel sends on two instances', async () => {
    const mobile = USERS.denied.mobile;
    const a = from();
    expect((await solveCaptcha(a, stack.simulator, mobile)).status).toBe(200);
    await simControl(stack.simulator, 'DELETE', 'journal');
    const b = sameBrowserOn(second.url, a);
    b.headers['X-Forwarded-For'] = a.headers['X-Forwarded-For'];
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        (i % 2 ? b : a).post('/auth/sms/send', { mobile, purpose: 'login' }),
      ),
    );
    const journal = await simControl<JournalEntry[]>(stack.simulator, 'GET', 'journal');
    expect(journal.filter((e) => e.path === '/api/v2/sdk/sms/send')).toHaveLength(1);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    // (five, so that sms_per_mobile_hour, reserved before the send, is not what refuses them)
    expect(answers.map((r): unknown => r.body.code ?? r.status).sort()).toEqual([
      200,
      ...Array(4).fill('CAPTCHA_REQUIRED'),
    ]);
  });

  it('the independent checker: 16 wrong codes and 24 wrong passwords from four addresses leave the owner in, and OneAccess never locks', async () => {
    const owner = USERS.spare;
    const addresses = ['192.0.2.11', '192.0.2.12', '192.0.2.13', '192.0.2.14'];
    const statuses: number[] = [];
    for (const [n, address] of addresses.entries()) {
      const stranger = from(address, n % 2 ? second.url : stack.gateway.url);
      for (let i = 0; i < 4; i++) {
        const wrong = { mobile: owner.mobile, verify_code: String(300000 + n * 10 + i) };
        expect((await stranger.post('/auth/login/sms', wrong)).status).toBe(401);
      }
      statuses.push(...(await strangerUntilStopped(stranger, owner.user_name, 6)));
      expect((await lockout(owner.user_name)).locked).toBe(false);
    }
    // The stranger was captcha-gated (solved above) and then stopped one below the threshold.
    expect(statuses.filter((s) => s === 401)).toHaveLength(HARD_STOP);
    expect(statuses.filter((s) => s === 429)).toHaveLength(24 - HARD_STOP);
    expect((await upstreamPasswordLogins()).some((e) => e.error === 'LOGIN.0001')).toBe(false);

    signedIn(await ownerSmsLogin(owner.mobile, from('192.0.2.200', second.url)));
    expect((await ownerReset(owner.mobile, NEW_PASSWORD, from('192.0.2.201'))).status).toBe(200);
    signedIn(await password(from('192.0.2.202'), owner.user_name, NEW_PASSWORD));
    expect(await lockout(owner.user_name)).toEqual({ failures: 0, locked: false });
  });

  it('row 2, reset only: the session that reset the password signs in with it past the stop, nobody else does', async () => {
    const owner = USERS.warn;
    const statuses = await strangerUntilStopped(from(), owner.user_name, HARD_STOP + 1);
    expect(statuses.at(-1)).toBe(429);
    const chosen = 'Ch0sen-by-0wner';

    // a stranger resets their own number's password and tries it on the owner's account
    const stranger = from();
    expect((await ownerReset(USERS.plain.mobile, chosen, stranger)).status).toBe(200);
    await simControl(stack.simulator, 'DELETE', 'journal');
    expect((await password(stranger, owner.user_name, chosen)).status).toBe(429);

    // the owner, who never signed in through the gateway, resets by SMS in this session
    const session = from();
    expect((await ownerReset(owner.mobile, chosen, session)).status).toBe(200);
    expect((await password(session, owner.user_name, 'not-the-new-one')).status).toBe(429);
    expect(await upstreamPasswordLogins()).toHaveLength(0);
    signedIn(await password(session, owner.user_name, chosen));
    expect(await lockout(owner.user_name)).toEqual({ failures: 0, locked: false });
  });

  it('groups IPv6 clients by /64: fresh addresses in one /64 share one per-address count', async () => {
    const inPrefix = (i: number) => `2001:db8:17:64::${(i + 1).toString(16)}`;
    const statuses: number[] = [];
    for (let i = 0; i <= THRESHOLD; i++)
      statuses.push((await password(from(inPrefix(i)), `v6-nobody-${i}`, 'x')).status);
    expect(statuses.slice(0, THRESHOLD)).toEqual(Array(THRESHOLD).fill(401));
    // the /64 failed THRESHOLD times: its next address, a new account, needs a captcha
    expect(statuses[THRESHOLD]).toBe(409);
    // another /64, and the IPv4 world, are not affected
    expect((await password(from('2001:db8:17:65::1'), 'v6-nobody-other', 'x')).status).toBe(401);
  });
});
