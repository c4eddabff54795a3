import { randomBytes } from 'node:crypto';
import { RunningSimulator, startSimulator } from 'oneaccess-simulator';
import request from 'supertest';
import { BrowserClient, Recorded } from '../helpers/browser-client';
import { EchoUpstream } from '../helpers/echo-upstream';
import { sendCode, simControl } from '../helpers/flows';
import {
  GatewayProcess,
  productionClientSecret,
  sharedProductionEnv,
  startGatewayProcess,
} from '../helpers/gateway-process';
import { TestRedisServer } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import {
  ADMIN_TOKEN,
  COOKIE,
  containsSecret,
  issuedSecrets,
  mfaLogin,
  oauthLogin,
  PASSWORD,
  parseSetCookie,
  rawSessionId,
  TX_COOKIE,
  USERS,
} from './helpers';
import { JWT_IN_CLEAR } from '../helpers/jwt-pattern';

/**
 * docs/security.md 15 (and the audit format of 47): the gateway's whole log output, as an operator
 * sees it from `node dist/main.js` at LOG_LEVEL=debug, after the end-to-end flows below, holds no
 * password, SMS code, OneAccess token, OAuth code or state, session id or cookie value, admin
 * token or configured secret; sessions are correlated by a keyed hash instead.
 */
describe('15: no password, code, token or session id in the logs', () => {
  let redis: TestRedisServer;
  let sim: RunningSimulator;
  let upstream: EchoUpstream;
  let gateway: GatewayProcess;
  let env: Record<string, string>;
  const recorded: Recorded[] = [];
  /** Values a test run typed or was given that must never be logged. */
  const secrets: string[] = [];
  const browser = () => new BrowserClient(gateway.url, recorded);

  beforeAll(async () => {
    redis = await new TestRedisServer().start();
    sim = await startSimulator({
      port: 0,
      control: true,
      clientSecret: productionClientSecret(),
      oauthAuthorize: 'auto',
      smsResendIntervalS: 0,
    });
    upstream = await new EchoUpstream().start();
    env = {
      ...sharedProductionEnv({ redisUrl: redis.url, simulator: sim }),
      LOG_LEVEL: 'debug',
      ADMIN_TOKEN,
      API_ROUTES: JSON.stringify({
        byid: { target: `${upstream.url}/i`, token: 'id_token' },
        byaccess: { target: `${upstream.url}/a`, token: 'access_token' },
      }),
    };
    secrets.push(
      ADMIN_TOKEN,
      env.SESSION_SECRETS,
      env.SESSION_ENCRYPTION_KEYS,
      env.ONEACCESS_CLIENT_SECRET,
    );
    gateway = await startGatewayProcess(env);
  });
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await sim?.close();
    await redis?.stop();
  });

  /** Runs the flows; returns nothing, everything worth hiding is collected in `secrets`. */
  async function runFlows(): Promise<void> {
    const wrongPassword = `Wr0ng-${randomBytes(6).toString('hex')}`;
    const changedPassword = `Chang3d-${randomBytes(3).toString('hex')}`;
    const resetPassword = `R3set-${randomBytes(3).toString('hex')}`;
    const registeredPassword = `Reg1st-${randomBytes(3).toString('hex')}`;
    secrets.push(PASSWORD, wrongPassword, changedPassword, resetPassword, registeredPassword);

    // Password login, relay, profile, social accounts, logout.
    const plain = browser();
    expect((await plain.get('/auth/captcha')).status).toBe(200); // a pre-login session first
    const login = await plain.post('/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    expect(login.body.status).toBe('SUCCESS');
    expect((await plain.get('/api/byid/orders?token=abc')).status).toBe(200);
    expect((await plain.post('/api/byid/orders', { password: PASSWORD })).status).toBe(200);
    expect((await plain.get('/auth/profile')).status).toBe(200);
    expect((await plain.patch('/auth/profile', { attr_nick_name: 'Sanzi' })).status).toBe(200);
    expect((await plain.get('/auth/social/accounts')).status).toBe(200);
    expect((await plain.post('/auth/logout')).status).toBe(200);

    // A wrong password, an account that does not exist, a forged cookie, a CSRF rejection.
    expect(
      (
        await browser().post('/auth/login/password', {
          user_name: USERS.other.user_name,
          password: wrongPassword,
        })
      ).status,
    ).toBe(401);
    const forged = browser();
    forged.cookies.set(
      COOKIE,
      encodeURIComponent(`s:${randomBytes(24).toString('base64url')}.forged`),
    );
    expect((await forged.get('/auth/session')).body.status).toBe('ANONYMOUS');
    const csrf = await request(gateway.url)
      .post('/auth/logout')
      .set('Cookie', `${COOKIE}=${login.setCookie[0].split(';')[0].split('=')[1]}`);
    expect(csrf.status).toBe(403);

    // MFA login (captcha, SMS code), then SMS login.
    const mfa = await mfaLogin(gateway.url, sim, browser());
    secrets.push(mfa.stepCookie);
    expect((await mfa.browser.get('/api/byid/x')).status).toBe(200);
    const sms = browser();
    const code = await sendCode(sms, sim, USERS.other.mobile, 'login');
    expect(
      (await sms.post('/auth/login/sms', { mobile: USERS.other.mobile, verify_code: code })).body
        .status,
    ).toBe('SUCCESS');

    // An expired password changed, a password reset by SMS, a registration, a social login.
    const expired = browser();
    expect(
      (
        await expired.post('/auth/login/password', {
          user_name: USERS.expired.user_name,
          password: PASSWORD,
        })
      ).body.status,
    ).toBe('PASSWORD_EXPIRED');
    expect(
      (
        await expired.post('/auth/password/update', {
          old_password: PASSWORD,
          new_password: changedPassword,
        })
      ).body.status,
    ).toBe('SUCCESS');
    const reset = browser();
    const resetCode = await sendCode(reset, sim, USERS.spare.mobile, 'reset_password');
    expect(
      (
        await reset.post('/auth/password/reset', {
          mobile: USERS.spare.mobile,
          verify_code: resetCode,
          password: resetPassword,
        })
      ).status,
    ).toBe(200);
    const reg = browser();
    const regCode = await sendCode(reg, sim, '13900000077', 'register');
    expect(
      (
        await reg.post('/auth/register', {
          mobile: '13900000077',
          verify_code: regCode,
          user_name: 'logcheck',
          password: registeredPassword,
        })
      ).body.status,
    ).toBe('SUCCESS');
    expect(
      (await browser().post('/auth/login/social/wechat', { code: 'wx-code-zhangsan' })).body.status,
    ).toBe('SUCCESS');

    // OAuth: a login with an access-token refresh, and a callback with a state nobody issued.
    await simControl(sim, 'PATCH', 'config', { lifetimes: { oauthAccessToken: 2 } });
    const oauth = await oauthLogin(gateway.url, '/after?x=1');
    await simControl(sim, 'PATCH', 'config', { lifetimes: { oauthAccessToken: 7200 } });
    const oauthCookie = oauth.browser.cookies.get(COOKIE)!;
    secrets.push(oauth.state, oauth.txCookie.split('=')[1], oauthCookie, rawSessionId(oauthCookie));
    const callbackAt = Date.now();
    expect((await oauth.browser.get('/api/byaccess/x')).status).toBe(200);
    await waitFor(() => Date.now() > callbackAt + 1100, 3000, 'the access token to fall due');
    expect((await oauth.browser.get('/api/byaccess/x')).status).toBe(200);
    const bogusState = randomBytes(32).toString('base64url');
    secrets.push(bogusState);
    const bogus = await request(gateway.url).get(
      `/auth/oauth/callback?code=abc&state=${bogusState}`,
    );
    expect(bogus.headers.location).toMatch(/auth_error=invalid_state/);

    // A refused refresh ends a session; the admin API lists and ends another.
    const refused = browser();
    await simControl(sim, 'PATCH', 'config', { lifetimes: { idToken: 2 } });
    expect(
      (
        await refused.post('/auth/login/password', {
          user_name: USERS.warn.user_name,
          password: PASSWORD,
        })
      ).body.status,
    ).toBe('PASSWORD_WARN');
    expect((await refused.post('/auth/password/skip')).body.status).toBe('SUCCESS');
    const refusedAt = Date.now();
    await simControl(sim, 'PATCH', 'config', { lifetimes: { idToken: 7200 } });
    await waitFor(() => Date.now() > refusedAt + 1100, 3000, 'the id_token to fall due');
    await simControl(sim, 'POST', 'failure', { mode: 'refuse_refresh' });
    try {
      expect((await refused.get('/api/byid/x')).body.code).toBe('SESSION_EXPIRED');
    } finally {
      await simControl(sim, 'POST', 'failure', { mode: 'none' });
    }
    const listed = await request(gateway.url)
      .get('/admin/sessions')
      .query({ user_id: USERS.mfa.id })
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(listed.body.sessions.length).toBeGreaterThan(0);
    for (const s of listed.body.sessions as { id: string }[]) {
      secrets.push(s.id);
      expect(
        (
          await request(gateway.url)
            .delete(`/admin/sessions/${encodeURIComponent(s.id)}`)
            .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
        ).status,
      ).toBe(204);
    }
    expect((await mfa.browser.get('/auth/session')).body.status).toBe('ANONYMOUS');
  }

  it('should log the flows with audit events but without any secret, code or session id', async () => {
    await runFlows();
    // Every session cookie any browser was given, its raw id, and every transaction cookie.
    for (const r of recorded) {
      for (const line of ([] as string[]).concat((r.headers['set-cookie'] as string[]) ?? [])) {
        const c = parseSetCookie(line);
        if (!c.value) continue;
        secrets.push(c.value, decodeURIComponent(c.value));
        if (c.name === COOKIE) secrets.push(rawSessionId(c.value));
        expect([COOKIE, TX_COOKIE]).toContain(c.name);
      }
    }
    const issued = await issuedSecrets(sim);
    // Stop first: everything the process wrote, up to its last line.
    expect((await gateway.stop()).code).toBe(0);
    const output = gateway.output();
    const lines = output.split('\n').filter(Boolean);

    const leaks: string[] = [];
    for (const s of issued)
      if (containsSecret(output, s)) leaks.push(`${s.kind} ${s.value.slice(0, 6)}…`);
    for (const s of new Set(secrets)) if (output.includes(s)) leaks.push(`"${s.slice(0, 6)}…"`);
    if (JWT_IN_CLEAR.test(output)) leaks.push('a JWT');
    if (/\bs%3A|\bs:[A-Za-z0-9_-]{20,}\./.test(output)) leaks.push('a signed cookie value');
    expect(leaks).toEqual([]);

    // Every line is JSON (pino), so a log pipeline can parse it.
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const audits = entries.filter((e) => typeof e.audit === 'string');
    const events = new Set(audits.map((e) => e.audit));
    for (const event of [
      'login_success',
      'login_failure',
      'login_step_required',
      'logout',
      'csrf_rejected',
      'session_revoked',
    ])
      expect(events).toContain(event);
    for (const e of audits) {
      expect(e.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    // Events of /auth and /admin requests carry the request's id (docs/security.md 47 checks the
    // whole catalogue); sessions appear only as their keyed hash.
    const inRequest = [
      'login_success',
      'login_failure',
      'login_step_required',
      'logout',
      'csrf_rejected',
      'session_revoked',
    ];
    for (const e of audits.filter((e) => inRequest.includes(e.audit as string))) {
      expect({ audit: e.audit, id: e.reqId ?? e.request_id }).toEqual({
        audit: e.audit,
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    }
    // A forged request is tied to the session it rode on, by hash.
    expect(audits.find((e) => e.audit === 'csrf_rejected')).toMatchObject({
      path: '/auth/logout',
      session: expect.any(String),
    });
    const withSession = audits.filter((e) => e.session !== undefined);
    expect(withSession.length).toBeGreaterThan(10);
    for (const e of withSession) expect(e.session).toMatch(/^[A-Za-z0-9_-]{16}$/);
    console.info(
      `15: ${lines.length} log lines (${output.length} bytes), ${audits.length} audit events ` +
        `(${[...events].sort().join(', ')}); searched ${issued.length} issued secrets and ` +
        `${new Set(secrets).size} other values`,
    );
  });
});
