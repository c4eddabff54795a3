import Redis from 'ioredis';
import { RateLimitService } from '../src/common/rate-limit/rate-limit.service';
import { BrowserClient, Reply } from './helpers/browser-client';
import { createTestApp, TestApp } from './helpers/create-test-app';
import { sendCode, solveCaptcha, solveLoginCaptcha } from './helpers/flows';
import { GatewayStack, sharedStackEnv, startGatewayStack } from './helpers/gateway-stack';
import { waitFor } from './helpers/wait-for';

/** Seed users of simulator/seed/default-seed.json. */
const PASSWORD = 'Passw0rd!2024';

/** Small limits so each one is reached in a few requests. */
const LIMITS = {
  login_per_ip: 10,
  login_per_account: 3,
  sms_per_mobile_hour: 2,
  captcha_per_ip: 8,
};

describe('Rate limits on /auth (issue 6, contract sections 6 and 8)', () => {
  let stack: GatewayStack;
  let redis: Redis;
  let lastIp = 0;
  /** A browser at its own client address, as the corporate proxy reports it. */
  const browser = (url = stack.gateway.url, ip = `198.51.100.${++lastIp}`) => {
    const b = new BrowserClient(url);
    b.headers['X-Forwarded-For'] = ip;
    return b;
  };
  /** Several browsers behind one address (one household, one NAT, one attacker). */
  const at = (ip: string) => () => browser(stack.gateway.url, ip);
  const env = () => ({
    ...sharedStackEnv(stack),
    TRUST_PROXY: 'loopback',
    RATE_LIMITS: JSON.stringify(LIMITS),
  });
  const login = (b: BrowserClient, user_name: string, password: string) =>
    b.post('/auth/login/password', { user_name, password });
  /** The counter of wrong codes in one flow for one mobile from one address. */
  const codeKey = (flow: string, mobile: string, ip: string) =>
    `${stack.keyPrefix}rl:${flow}_code_failures:${stack.gateway.app.get(RateLimitService, { strict: false }).pseudonym(`${mobile}|${ip}`)}`;

  function expectRateLimited(res: Reply, maxRetryAfterS: number): void {
    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      code: 'RATE_LIMITED',
      message: expect.any(String),
      request_id: expect.any(String),
    });
    expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
    expect(res.headers['cache-control']).toBe('no-store');
    const retryAfter = res.headers['retry-after'];
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(maxRetryAfterS);
  }

  beforeAll(async () => {
    stack = await startGatewayStack({
      env: { TRUST_PROXY: 'loopback', RATE_LIMITS: JSON.stringify(LIMITS) },
      simulator: { smsResendIntervalS: 0 },
    });
    redis = new Redis(stack.redisUrl);
  });
  afterAll(async () => {
    await redis.quit();
    await stack.close();
  });

  it('should answer 429 RATE_LIMITED with Retry-After once an IP is over its captcha limit', async () => {
    const b = browser();
    for (let i = 0; i < LIMITS.captcha_per_ip; i++)
      expect((await b.get('/auth/captcha')).status).toBe(200);
    expectRateLimited(await b.get('/auth/captcha'), 60);
    // the verify call shares the counter; another client is not affected
    const verify = await b.post('/auth/captcha/verify', {
      token: 'x',
      point_json: '{"x":1,"y":5}',
      mobile: '13800000001',
    });
    expectRateLimited(verify, 60);
    expect((await browser().get('/auth/captcha')).status).toBe(200);
  });

  it('should limit login attempts per IP whatever the account', async () => {
    const b = browser();
    for (let i = 0; i < LIMITS.login_per_ip; i++)
      expect((await login(b, `nobody-${i}`, 'wrong')).status).toBe(401);
    expectRateLimited(await login(b, 'zhangsan', PASSWORD), 60);
  });

  it('should leave failed passwords to the account protection, not to the per-minute counter', async () => {
    // successes cost the account nothing: more of them than the limit all pass
    for (let i = 0; i <= LIMITS.login_per_account; i++)
      expect((await login(browser(), 'zhangsan', PASSWORD)).status).toBe(200);

    expect((await login(browser(), 'zhouba', 'wrong-1')).status).toBe(401);
    expect((await login(browser(), 'zhouba', 'wrong-2')).status).toBe(401);
    expect((await login(browser(), 'ZhouBa', 'wrong-3')).status).toBe(401);
    // a fourth client is asked for a captcha (ONEACCESS_LOCKOUT_THRESHOLD 10: after 3), not refused
    const owner = browser();
    expect((await login(owner, 'zhouba', PASSWORD)).body.code).toBe('CAPTCHA_REQUIRED');
    expect((await solveLoginCaptcha(owner, stack.simulator, 'zhouba')).status).toBe(200);
    expect((await login(owner, 'zhouba', PASSWORD)).status).toBe(200);
    // the success forgot the account's failures
    const pseudonym = stack.gateway.app
      .get(RateLimitService, { strict: false })
      .pseudonym('zhouba');
    expect(await redis.exists(`${stack.keyPrefix}rl:login_failures:${pseudonym}`)).toBe(0);
  });

  it('should hold a stranger to their own share of wrong codes, never moving its end, while the victim gets in at once', async () => {
    const mobile = '13800000003';
    const attacker = '203.0.113.9';
    const wrong = () => at(attacker)().post('/auth/login/sms', { mobile, verify_code: '000000' });
    const key = codeKey('login_sms', mobile, attacker);
    for (let i = 0; i < LIMITS.login_per_account; i++)
      expect((await wrong()).body.code).toBe('INVALID_CREDENTIALS');
    expectRateLimited(await wrong(), 60);
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);

    // the attacker goes on: refused, and the window's end does not move
    for (let i = 0; i < 5; i++) expectRateLimited(await wrong(), 60);
    expect(await redis.pttl(key)).toBeLessThanOrEqual(ttl);

    // the victim, at their own address, need not wait for anything
    const victim = browser();
    const code = await sendCode(victim, stack.simulator, mobile, 'login');
    const res = await victim.post('/auth/login/sms', { mobile, verify_code: code });
    expect(res.status).toBe(200);
    // the victim's own success was not counted
    const victimIp = victim.headers['X-Forwarded-For'];
    expect(await redis.get(codeKey('login_sms', mobile, victimIp))).toBe('0');

    // Stand-in for the rest of the minute passing: the attacker's own share comes back.
    await redis.pexpire(key, 50);
    await waitFor(async () => (await redis.exists(key)) === 0, 5000, 'the window to end');
    expect((await wrong()).body.code).toBe('INVALID_CREDENTIALS');
  });

  it('should count wrong SMS codes per flow: wrong login codes leave the reset alone', async () => {
    const mobile = '13800000004';
    const same = at('203.0.113.10');
    const wrongLogin = () => same().post('/auth/login/sms', { mobile, verify_code: '000000' });
    for (let i = 0; i < LIMITS.login_per_account; i++)
      expect((await wrongLogin()).body.code).toBe('INVALID_CREDENTIALS');
    expectRateLimited(await wrongLogin(), 60);
    const reset = await same().post('/auth/password/reset', {
      mobile,
      verify_code: '000000',
      password: 'N3w-Passw0rd!',
    });
    expect(reset.body.code).toBe('INVALID_CREDENTIALS');
  });

  it("should count wrong MFA codes against the step's mobile per address, across sessions", async () => {
    const ip = '203.0.113.11';
    const mfaStep = async (b = at(ip)()) => {
      expect((await login(b, 'lisi', PASSWORD)).body.status).toBe('MFA_AUTH');
      return b;
    };
    for (let i = 0; i < LIMITS.login_per_account; i++) {
      const wrong = await (await mfaStep()).post('/auth/mfa/sms', { verify_code: '000000' });
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    }
    const b = await mfaStep();
    expectRateLimited(await b.post('/auth/mfa/sms', { verify_code: '000000' }), 60);
    expect(await redis.exists(codeKey('mfa', '13800000002', ip))).toBe(1);
    // the owner's step elsewhere still gets its tries
    const elsewhere = await mfaStep(browser());
    const mine = await elsewhere.post('/auth/mfa/sms', { verify_code: '000000' });
    expect(mine.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('should send at most sms_per_mobile_hour codes to one number from one address, counting only sent ones', async () => {
    const mobile = '13800000006';
    const same = at('203.0.113.12');
    // refused before OneAccess (no captcha solved): costs the number nothing
    const noCaptcha = await same().post('/auth/sms/send', { mobile, purpose: 'login' });
    expect(noCaptcha.body.code).toBe('CAPTCHA_REQUIRED');

    for (let i = 0; i < LIMITS.sms_per_mobile_hour; i++)
      await sendCode(same(), stack.simulator, mobile, i % 2 ? 'login' : 'reset_password');
    const b = same();
    expect((await solveCaptcha(b, stack.simulator, mobile)).status).toBe(200);
    const refused = await b.post('/auth/sms/send', { mobile, purpose: 'login' });
    expectRateLimited(refused, 3600);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
    // whoever sent them, the owner at their own address still gets a code; another number too
    await sendCode(browser(), stack.simulator, mobile, 'login');
    await sendCode(browser(), stack.simulator, '13800000007', 'login');
  });

  it('should hold registration and password reset to a third of login_per_ip per IP each', async () => {
    const perIp = Math.ceil(LIMITS.login_per_ip / 3);
    const b = browser();
    const register = (i: number) =>
      b.post('/auth/register', { mobile: `1390000010${i}`, verify_code: '000000' });
    for (let i = 0; i < perIp; i++) expect((await register(i)).status).toBe(401);
    expectRateLimited(await register(perIp), 60);
    const reset = await b.post('/auth/password/reset', {
      mobile: '13900000200',
      verify_code: '000000',
      password: 'N3w-Passw0rd!',
    });
    expect(reset.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('should keep no IP, user name or mobile in clear in Redis', async () => {
    const keys = await redis.keys(`${stack.keyPrefix}rl:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatch(/^t[0-9a-f]+:rl:[a-z_]+:[0-9a-f]{32}$/);
      expect(key).not.toMatch(/198\.51|zhouba|wangwu|1380000/);
    }
  });

  describe('with two gateway instances on one Redis', () => {
    let second: TestApp;
    beforeAll(async () => {
      second = await createTestApp(env());
    });
    afterAll(() => second.close());

    it('should share the counters between the instances', async () => {
      const ip = `198.51.100.${++lastIp}`;
      const one = new BrowserClient(stack.gateway.url);
      const two = new BrowserClient(second.url);
      one.headers['X-Forwarded-For'] = ip;
      two.headers['X-Forwarded-For'] = ip;
      for (let i = 0; i < LIMITS.captcha_per_ip; i++)
        expect((await (i % 2 ? two : one).get('/auth/captcha')).status).toBe(200);
      expectRateLimited(await one.get('/auth/captcha'), 60);
      expectRateLimited(await two.get('/auth/captcha'), 60);
    });
  });

  describe('with RATE_LIMITS=off', () => {
    let off: TestApp;
    const prefix = `off${Date.now().toString(36)}:`;
    beforeAll(async () => {
      off = await createTestApp({ ...env(), REDIS_KEY_PREFIX: prefix, RATE_LIMITS: 'off' });
    });
    afterAll(() => off.close());

    it('should neither refuse nor count anything', async () => {
      const b = new BrowserClient(off.url);
      b.headers['X-Forwarded-For'] = `198.51.100.${++lastIp}`;
      for (let i = 0; i < 2 * LIMITS.captcha_per_ip; i++)
        expect((await b.get('/auth/captcha')).status).toBe(200);
      for (let i = 0; i < LIMITS.login_per_ip + 1; i++)
        expect((await login(b, `off-nobody-${i}`, 'wrong')).status).toBe(401);
      expect(await redis.keys(`${prefix}rl:*`)).toEqual([]);
    });
  });
});
