import request from 'supertest';
import type { SimulatorOptions } from 'oneaccess-simulator';
import { BrowserClient } from './helpers/browser-client';
import { simControl, solveCaptcha } from './helpers/flows';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';

/**
 * Every documented (or seen) variant of a OneAccess answer, each switched on in the simulator and
 * driven through the whole gateway: browser -> gateway -> simulator over HTTP, sessions in Redis.
 */

const PASSWORD = 'Passw0rd!2024';
const ORIGIN = 'http://localhost:3000';
/** Seed users of simulator/seed/default-seed.json (one per test, so no lockout or limit carries over). */
const USER = {
  plain: { user_name: 'zhangsan', id: '20210621095935811-5E16-6B3060ABC' },
  wrong: 'zhouba',
  wrongToo: 'lisi',
  lockable: 'wujiu',
};

type Variant = Partial<Pick<SimulatorOptions, 'lifetimeFormat' | 'errorShape' | 'errorCodes'>>;
const DOCUMENTED: Variant = {
  lifetimeFormat: 'number',
  errorShape: 'documented',
  errorCodes: 'huawei',
};

function login(stack: GatewayStack, user_name: string, password = PASSWORD) {
  const b = new BrowserClient(stack.gateway.url);
  return b.post('/auth/login/password', { user_name, password }).then((res) => ({ b, res }));
}

describe('tolerant reader of OneAccess answer variants (whole flow)', () => {
  let stack: GatewayStack;
  const variant = (v: Variant) => simControl(stack.simulator, 'PATCH', 'config', v);

  beforeAll(async () => {
    stack = await startGatewayStack({
      env: { PUBLIC_ORIGIN: ORIGIN },
      simulator: { lockoutThreshold: 2, oauthAuthorize: 'auto', smsResendIntervalS: 0 },
    });
  });
  afterEach(() => variant(DOCUMENTED));
  afterAll(() => stack.close());

  /** The browser's part of the OAuth redirect login up to the gateway's answer to the callback. */
  async function oauthLogin(tamperCode = false): Promise<string> {
    const start = await request(stack.gateway.url).get('/auth/oauth/login?return_to=/done');
    const tx = ([] as string[])
      .concat(start.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('__Host-bff-oauth='))!;
    const approved = await fetch(start.headers.location, { redirect: 'manual' });
    const back = new URL(approved.headers.get('location')!);
    if (tamperCode) back.searchParams.set('code', 'not-a-code-OneAccess-issued');
    const done = await request(stack.gateway.url)
      .get(back.pathname + back.search)
      .set('Cookie', tx.split(';')[0]);
    expect(done.status).toBe(302);
    return done.headers.location;
  }

  describe('expire / expires_in as numeric strings', () => {
    it('should read the tenant token, session_token and sso_ticket lifetimes given as strings', async () => {
      // A refused tenant token makes the gateway fetch a new one, so this run reads expires_in too.
      await simControl(stack.simulator, 'POST', 'reset');
      await variant({ lifetimeFormat: 'string' });

      const { b, res } = await login(stack, USER.plain.user_name);

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ authenticated: true, user: { id: USER.plain.id } });
      expect((await b.get('/auth/profile')).status).toBe(200);
      const journal = await simControl<{ path: string; status: number }[]>(
        stack.simulator,
        'GET',
        'journal',
      );
      expect(journal).toContainEqual(
        expect.objectContaining({ path: '/api/v2/tenant/token', status: 200 }),
      );
    });

    it('should read the OAuth token answer with expires_in as a string', async () => {
      await variant({ lifetimeFormat: 'string' });

      expect(await oauthLogin()).toBe(`${ORIGIN}/done`);
    });

    it('should answer 502 UPSTREAM_BAD_RESPONSE for a non-numeric expire, and sign nobody in', async () => {
      await variant({ lifetimeFormat: 'non-numeric' });

      const { b, res } = await login(stack, USER.plain.user_name);

      expect(res.status).toBe(502);
      expect(res.body).toEqual({
        code: 'UPSTREAM_BAD_RESPONSE',
        message: expect.any(String),
        request_id: expect.any(String),
      });
      expect((await b.get('/auth/session')).body.authenticated).toBe(false);
      expect(await oauthLogin()).toBe(`${ORIGIN}/?auth_error=upstream_unavailable`);
    });
  });

  describe('error bodies in the other shape', () => {
    it('should read {error, error_description} on an SDK call', async () => {
      await variant({ errorShape: 'swapped' });

      const { res } = await login(stack, USER.wrong, 'wrong-password-1');

      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'INVALID_CREDENTIALS', upstream_code: 'LOGIN.0002' });
      expect(res.body.message).toMatch(/Remaining attempts: \d+/);
    });

    it('should keep an unmapped code as 400 UPSTREAM_REJECTED with its message', async () => {
      await variant({ errorShape: 'swapped' });
      const b = new BrowserClient(stack.gateway.url);

      const res = await solveCaptcha(b, stack.simulator, '13800000009', 60);

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'UPSTREAM_REJECTED', upstream_code: 'CAPTCHA.0002' });
      expect(res.body.message).toMatch(/captcha/i);
    });

    it('should read {error_code, error_msg} on the OAuth token call as a refusal', async () => {
      await variant({ errorShape: 'swapped' });

      expect(await oauthLogin(true)).toBe(`${ORIGIN}/?auth_error=login_refused`);
    });
  });

  describe("Bamboo EIAM's SDK.* error codes", () => {
    it('should map SDK.LOGIN.1005 to 401 INVALID_CREDENTIALS', async () => {
      await variant({ errorCodes: 'eiam' });

      const { res } = await login(stack, USER.wrongToo, 'wrong-password-2');

      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({
        code: 'INVALID_CREDENTIALS',
        upstream_code: 'SDK.LOGIN.1005',
      });
    });

    it('should map SDK.LOGIN.1003 to 403 ACCOUNT_LOCKED with the unlock time', async () => {
      await variant({ errorCodes: 'eiam', errorShape: 'swapped' });

      await login(stack, USER.lockable, 'nope');
      const { res } = await login(stack, USER.lockable, 'nope');

      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'ACCOUNT_LOCKED', upstream_code: 'SDK.LOGIN.1003' });
      expect(res.body.message).toMatch(/unlock/i);
    });
  });
});

describe.each(['base64', 'pem-escaped'] as const)(
  'public_key as %s (whole flow)',
  (publicKeyFormat) => {
    let stack: GatewayStack;

    beforeAll(async () => {
      stack = await startGatewayStack({ simulator: { publicKeyFormat } });
    });
    afterAll(() => stack?.close());

    it('should sign X-signature calls with the key read from that format', async () => {
      const { b, res } = await login(stack, USER.plain.user_name);
      expect(res.status).toBe(200);

      const profile = await b.get('/auth/profile');

      expect(profile.status).toBe(200);
      expect(profile.body.user_name).toBe(USER.plain.user_name);
    });
  },
);

describe('sso-ticket/verify flat (Bamboo) answer (whole flow)', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack({ simulator: { ssoVerifyShape: 'flat' } });
  });
  afterAll(() => stack?.close());

  it('should read the user from a flat answer as from the nested one', async () => {
    const { res } = await login(stack, USER.plain.user_name);

    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({
      id: USER.plain.id,
      user_name: 'zhangsan',
      mobile: '138****0001',
    });
  });
});
