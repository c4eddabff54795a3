import { BrowserClient, Reply } from './helpers/browser-client';
import { simControl, solveLoginCaptcha } from './helpers/flows';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';

const PASSWORD = 'Passw0rd!2024';

/** The fields of a simulator journal line this suite reads. */
interface JournalEntry {
  path: string;
  error?: string;
}
/** OneAccess's lockout threshold, the same on both sides: captcha after 2 failures, stop at 5. */
const THRESHOLD = 6;
const CAPTCHA_AFTER = 2;
const HARD_STOP = 5;

describe('Account protection: strangers cannot lock an account at OneAccess (docs/security.md 45)', () => {
  let stack: GatewayStack;
  let lastIp = 0;
  /** A client at its own address, as the corporate proxy reports it. */
  const client = () => {
    const b = new BrowserClient(stack.gateway.url);
    b.headers['X-Forwarded-For'] = `198.51.100.${++lastIp}`;
    return b;
  };
  const login = (b: BrowserClient, user_name: string, password: string) =>
    b.post('/auth/login/password', { user_name, password });
  /** What the simulator answered to password logins for the test's account. */
  const upstreamLogins = async () =>
    (await simControl<JournalEntry[]>(stack.simulator, 'GET', 'journal')).filter(
      (e) => e.path === '/api/v2/sdk/login',
    );
  const expectContractError = (res: Reply, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ code, message: expect.any(String), request_id: expect.any(String) });
  };

  beforeAll(async () => {
    stack = await startGatewayStack({
      env: {
        TRUST_PROXY: 'loopback',
        ONEACCESS_LOCKOUT_THRESHOLD: String(THRESHOLD),
        // generous, so only the account protection is at work
        RATE_LIMITS: JSON.stringify({ login_per_ip: 1000, captcha_per_ip: 1000 }),
      },
      simulator: { lockoutThreshold: THRESHOLD, lockoutSeconds: 180 },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => simControl(stack.simulator, 'DELETE', 'journal'));

  it('should ask for a captcha after a few failures, so a script never locks the account, and let the owner in', async () => {
    const results: number[] = [];
    for (let i = 0; i < 3 * THRESHOLD; i++)
      results.push((await login(client(), 'zhouba', `wrong-${i}`)).status);
    expect(results.slice(0, CAPTCHA_AFTER)).toEqual(Array(CAPTCHA_AFTER).fill(401));
    expect(new Set(results.slice(CAPTCHA_AFTER))).toEqual(new Set([409]));
    const refused = await login(client(), 'ZhouBa', 'wrong-again');
    expectContractError(refused, 409, 'CAPTCHA_REQUIRED');
    // only the first failures reached OneAccess, and it never locked
    const upstream = await upstreamLogins();
    expect(upstream).toHaveLength(CAPTCHA_AFTER);
    expect(upstream.every((e) => e.error === 'LOGIN.0002')).toBe(true);

    // the owner solves the slider for the account and signs in with the right password
    const owner = client();
    expect((await login(owner, 'zhouba', PASSWORD)).body.code).toBe('CAPTCHA_REQUIRED');
    expect((await solveLoginCaptcha(owner, stack.simulator, 'zhouba')).status).toBe(200);
    const res = await login(owner, 'zhouba', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ authenticated: true, status: 'SUCCESS' });
    // the success resets the count: the next wrong password needs no captcha
    expect((await login(client(), 'zhouba', 'wrong-after')).status).toBe(401);
  });

  it('should stop one failure below the threshold even for a stranger who solves every captcha', async () => {
    const stranger = client();
    const statuses: number[] = [];
    for (let i = 0; i < THRESHOLD + 2; i++) {
      const needsCaptcha = i >= CAPTCHA_AFTER;
      if (needsCaptcha)
        expect((await solveLoginCaptcha(stranger, stack.simulator, 'wujiu')).status).toBe(200);
      statuses.push((await login(stranger, 'wujiu', `wrong-${i}`)).status);
    }
    expect(statuses).toEqual([...Array(HARD_STOP).fill(401), 429, 429, 429]);
    const stopped = await login(client(), 'wujiu', 'wrong');
    expectContractError(stopped, 429, 'RATE_LIMITED');
    // No schedule against someone else's account: waiting is not what lifts the stop.
    expect(stopped.headers['retry-after']).toBeUndefined();
    expect(stopped.body.message).toMatch(/SMS code.*reset the password/);
    // OneAccess saw HARD_STOP failures, below its threshold: never LOGIN.0001 (locked)
    const upstream = await upstreamLogins();
    expect(upstream).toHaveLength(HARD_STOP);
    expect(upstream.some((e) => e.error === 'LOGIN.0001')).toBe(false);
  });

  it('should use a login captcha once, and only for the account it was verified for', async () => {
    const b = client();
    for (let i = 0; i < CAPTCHA_AFTER; i++) await login(b, 'wangwu', `wrong-${i}`);
    expect((await solveLoginCaptcha(b, stack.simulator, 'zhangsan')).status).toBe(200);
    expect((await login(b, 'wangwu', 'wrong-x')).body.code).toBe('CAPTCHA_REQUIRED');
    expect((await solveLoginCaptcha(b, stack.simulator, 'wangwu')).status).toBe(200);
    expect((await login(b, 'wangwu', 'wrong-y')).status).toBe(401);
    expect((await login(b, 'wangwu', 'wrong-z')).body.code).toBe('CAPTCHA_REQUIRED');
  });

  it('should ask every account from an address that failed too often for a captcha', async () => {
    const b = client();
    const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8'];
    const statuses: number[] = [];
    for (const name of names) statuses.push((await login(b, `nobody-${name}`, 'x')).status);
    expect(statuses.slice(0, THRESHOLD)).toEqual(Array(THRESHOLD).fill(401));
    expect(statuses.slice(THRESHOLD)).toEqual([409, 409]);
    // another address is not affected
    expect((await login(client(), 'nobody-b1', 'x')).status).toBe(401);
  });
});
