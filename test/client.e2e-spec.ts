import { BffClient, BffError, type VerifyCaptchaRequest } from '@oneaccess-bff/client';
import { simControl } from './helpers/flows';
import { CLOSED_ORIGIN } from './helpers/free-port';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';

const PASSWORD = 'Passw0rd!2024';
const ZHANGSAN = '20210621095935811-5E16-6B3060ABC';

/**
 * A browser's part in Node: a cookie jar around the global fetch (the gateway's session cookie is
 * HttpOnly, so a page never handles it either), and a record of what was sent.
 */
function jarFetch(sent: Array<{ url: string; headers: Record<string, string> }>) {
  const jar = new Map<string, string>();
  return async (input: string, init: RequestInit): Promise<Response> => {
    const headers = { ...(init.headers as Record<string, string>) };
    if (jar.size > 0) headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    sent.push({ url: input, headers });
    const res = await fetch(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...value] = pair.split('=');
      if (attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a))) jar.delete(name.trim());
      else jar.set(name.trim(), value.join('='));
    }
    return res;
  };
}

describe('@oneaccess-bff/client against a running gateway (simulator, Redis)', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack({
      env: {
        BASE_PATH: '/portal',
        // On, for the account protection's captcha; generous, so no other limit is at work.
        RATE_LIMITS: JSON.stringify({
          login_per_ip: 1000,
          login_per_account: 1000,
          captcha_per_ip: 1000,
        }),
      },
    });
  });
  afterAll(() => stack?.close());

  function browser(userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0') {
    const sent: Array<{ url: string; headers: Record<string, string> }> = [];
    const client = new BffClient({
      basePath: `${stack.gateway.url}/portal/`,
      headers: { 'User-Agent': userAgent },
      fetch: jarFetch(sent),
    });
    return { client, sent };
  }

  /** The rejection of `call`, which must be a BffError. */
  async function refusal(call: Promise<unknown>): Promise<BffError> {
    const err = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BffError);
    return err as BffError;
  }

  it('should sign in, read the session view and sign out, under the base path with X-CSRF and JSON headers', async () => {
    const { client, sent } = browser();
    expect(await client.session()).toMatchObject({ authenticated: false, status: 'ANONYMOUS' });
    const view = await client.loginWithPassword('zhangsan', PASSWORD);
    expect(view).toMatchObject({
      authenticated: true,
      status: 'SUCCESS',
      login_method: 'password',
      user: { id: ZHANGSAN, user_name: 'zhangsan', mobile: '138****0001' },
    });
    expect((await client.session({ slide: false })).user?.id).toBe(ZHANGSAN);
    expect((await client.profile()).mobile).toBe('13800000001');

    const login = sent.find((s) => s.url.endsWith('/auth/login/password'))!;
    expect(login.url).toBe(`${stack.gateway.url}/portal/auth/login/password`);
    expect(login.headers).toMatchObject({
      'X-CSRF': '1',
      'Content-Type': 'application/json',
      Accept: 'application/json',
    });
    expect(sent.find((s) => s.url.includes('slide=false'))).toBeDefined();

    expect(await client.logout()).toEqual({ logged_out: true });
    expect((await client.session()).status).toBe('ANONYMOUS');
  });

  it('should reject with a typed BffError carrying the contract fields', async () => {
    const { client } = browser();
    const wrong = await refusal(client.loginWithPassword('zhangsan', 'not-the-password'));
    expect(wrong).toMatchObject({
      name: 'BffError',
      status: 401,
      code: 'INVALID_CREDENTIALS',
      request_id: expect.any(String),
      upstream_code: expect.any(String),
      errors: [],
      signedOut: false,
    });
    expect(wrong.message.length).toBeGreaterThan(0);

    const invalid = await refusal(client.loginWithPassword('', PASSWORD));
    expect(invalid.status).toBe(400);
    expect(invalid.code).toBe('VALIDATION_FAILED');
    expect(invalid.errors.map((e) => e.field)).toContain('user_name');

    const anonymous = await refusal(client.sessions());
    expect(anonymous).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', signedOut: true });

    const step = await refusal(client.skipPasswordUpdate());
    expect(step).toMatchObject({ status: 409, code: 'NO_PENDING_STEP' });
  });

  it('should pass the captcha after failed passwords with a typed user_name and let the owner in', async () => {
    const { client } = browser();
    // The default lockout threshold (10) asks for a captcha after 3 failures of one account.
    for (let i = 0; i < 3; i++)
      expect((await refusal(client.loginWithPassword('zhouba', `wrong-${i}`))).code).toBe(
        'INVALID_CREDENTIALS',
      );
    const required = await refusal(client.loginWithPassword('zhouba', PASSWORD));
    expect(required).toMatchObject({ status: 409, code: 'CAPTCHA_REQUIRED' });

    const { token } = await client.captcha();
    const answer = await simControl<{ x: number; y: number }>(
      stack.simulator,
      'GET',
      `captcha/${token}`,
    );
    const solved: VerifyCaptchaRequest = {
      token,
      point_json: JSON.stringify({ x: answer.x, y: 5.0 }),
      user_name: 'zhouba',
    };
    expect(await client.verifyCaptcha(solved)).toEqual({ verified: true });
    expect(await client.loginWithPassword('zhouba', PASSWORD)).toMatchObject({
      status: 'SUCCESS',
      user: { user_name: 'zhouba' },
    });
    await client.logout();
  });

  it('should read Retry-After, and name an answer without the contract body HTTP_<status>', async () => {
    const limited = await BffError.fromResponse(
      new Response(
        JSON.stringify({ code: 'RATE_LIMITED', message: 'Slow down', request_id: 'r1' }),
        {
          status: 429,
          headers: { 'Retry-After': '17' },
        },
      ),
    );
    expect(limited).toMatchObject({ status: 429, code: 'RATE_LIMITED', retry_after_s: 17 });
    const proxy = await BffError.fromResponse(
      new Response('<html>Bad gateway</html>', { status: 502 }),
    );
    expect(proxy).toMatchObject({
      status: 502,
      code: 'HTTP_502',
      request_id: undefined,
      errors: [],
    });
  });

  it('should answer NETWORK_ERROR when the gateway cannot be reached', async () => {
    const client = new BffClient({ basePath: CLOSED_ORIGIN });
    expect(await refusal(client.session())).toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });

  it('should list my sessions and end one, then all the others', async () => {
    const me = browser('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0.0.0 Safari/537.36');
    const laptop = browser();
    const phone = browser();
    for (const b of [laptop, phone, me]) await b.client.loginWithPassword('zhangsan', PASSWORD);

    const sessions = await me.client.sessions();
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    expect(sessions[0]).toMatchObject({ current: true, device: 'Chrome on Windows 10' });
    expect(sessions.filter((s) => s.current)).toHaveLength(1);

    const phoneId = (await phone.client.sessions()).find((s) => s.current)!.id;
    await me.client.endSession(phoneId);
    expect((await phone.client.session()).status).toBe('ANONYMOUS');
    expect((await me.client.sessions()).map((s) => s.id)).not.toContain(phoneId);
    expect(await refusal(me.client.endSession(phoneId))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });

    expect(await me.client.endOtherSessions()).toBeGreaterThanOrEqual(1);
    expect((await laptop.client.session()).status).toBe('ANONYMOUS');
    const left = await me.client.sessions();
    expect(left).toHaveLength(1);
    expect(left[0].current).toBe(true);
    await me.client.logout();
  });
});
