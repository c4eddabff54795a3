import { RunningSimulator, startSimulator } from 'oneaccess-simulator';
import request from 'supertest';
import { BrowserClient } from '../helpers/browser-client';
import { sendCode, simControl } from '../helpers/flows';
import { CLOSED_ORIGIN } from '../helpers/free-port';
import {
  GatewayProcess,
  productionClientSecret,
  sharedProductionEnv,
  startGatewayProcess,
} from '../helpers/gateway-process';
import { TestRedisServer } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { ADMIN_TOKEN, mfaLogin, oauthLogin, PASSWORD, USERS } from './helpers';

type Line = Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HASH = /^[A-Za-z0-9_-]{16}$/;

/**
 * docs/security.md 47: every authentication outcome (success and failure with the login method,
 * MFA required, password expired), logout, a refused token refresh, an admin revocation, CSRF and
 * origin rejections and rate limiting each produce one structured JSON line, as an operator gets
 * it from `node dist/main.js`: `audit` names the event, `at` is UTC ISO 8601, the request id
 * links it to the access log line, and `session` is a keyed hash of the session id.
 */
describe('47: security events are structured audit lines', () => {
  let redis: TestRedisServer;
  let sim: RunningSimulator;
  let gateway: GatewayProcess;
  let audits: Line[];

  beforeAll(async () => {
    redis = await new TestRedisServer().start();
    sim = await startSimulator({
      port: 0,
      control: true,
      clientSecret: productionClientSecret(),
      smsResendIntervalS: 0,
    });
    gateway = await startGatewayProcess({
      ...sharedProductionEnv({ redisUrl: redis.url, simulator: sim }),
      ADMIN_TOKEN,
      RATE_LIMITS: JSON.stringify({ captcha_per_ip: 6 }),
      API_ROUTES: JSON.stringify({ byid: { target: `${CLOSED_ORIGIN}/i`, token: 'id_token' } }),
    });
    audits = await runEvents();
  });
  afterAll(async () => {
    await gateway?.stop();
    await sim?.close();
    await redis?.stop();
  });

  /** Produces every event once or more; returns the audit lines of the process's output. */
  async function runEvents(): Promise<Line[]> {
    const b = () => new BrowserClient(gateway.url);
    const plain = b();
    await plain.post('/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    await b().post('/auth/login/password', {
      user_name: USERS.other.user_name,
      password: 'wrong-password',
    });
    await mfaLogin(gateway.url, sim, b());
    await b().post('/auth/login/password', {
      user_name: USERS.expired.user_name,
      password: PASSWORD,
    });
    const sms = b();
    const code = await sendCode(sms, sim, USERS.other.mobile, 'login');
    await sms.post('/auth/login/sms', { mobile: USERS.other.mobile, verify_code: code });
    await request(gateway.url).get('/auth/oauth/callback?code=x&state=unknown');
    // An id_token that fails verification (here: expired): refused, with the reason only.
    await simControl(sim, 'PATCH', 'config', {
      oauthAuthorize: 'auto',
      oauthIdTokenFault: 'expired',
    });
    try {
      expect((await oauthLogin(gateway.url)).done.headers.location).toMatch(
        /\?auth_error=invalid_id_token$/,
      );
    } finally {
      await simControl(sim, 'PATCH', 'config', {
        oauthAuthorize: 'login-page',
        oauthIdTokenFault: 'none',
      });
    }
    // CSRF and origin rejections, on /auth (with the session it rode on) and on the relay.
    await request(gateway.url).post('/auth/logout').set('Cookie', plain.cookieHeader);
    await request(gateway.url)
      .post('/auth/logout')
      .set('Cookie', plain.cookieHeader)
      .set('X-CSRF', '1')
      .set('Origin', 'https://evil.example');
    await request(gateway.url)
      .post('/api/byid/x')
      .set('Cookie', plain.cookieHeader)
      .set('Sec-Fetch-Site', 'cross-site')
      .set('X-CSRF', '1');
    // A refused refresh: the session_token of an account call, and the id_token of a relayed one.
    await simControl(sim, 'PATCH', 'config', { lifetimes: { sessionToken: 2, idToken: 2 } });
    const spare = b();
    await spare.post('/auth/login/password', {
      user_name: USERS.spare.user_name,
      password: PASSWORD,
    });
    await simControl(sim, 'PATCH', 'config', {
      lifetimes: { sessionToken: 604800, idToken: 7200 },
    });
    const due = Date.now() + 1100;
    await waitFor(() => Date.now() > due, 3000, 'the tokens to fall due');
    await simControl(sim, 'POST', 'failure', { mode: 'refuse_refresh' });
    try {
      expect((await spare.get('/auth/profile')).body.code).toBe('SESSION_EXPIRED');
    } finally {
      await simControl(sim, 'POST', 'failure', { mode: 'none' });
    }
    // An admin revocation, rate limiting, and a logout.
    const listed = await request(gateway.url)
      .get('/admin/sessions')
      .query({ user_id: USERS.mfa.id })
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    for (const s of listed.body.sessions as { id: string }[])
      await request(gateway.url)
        .delete(`/admin/sessions/${encodeURIComponent(s.id)}`)
        .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    for (let i = 0; i < 8; i++) await b().get('/auth/captcha');
    await plain.post('/auth/logout');

    expect((await gateway.stop()).code).toBe(0);
    return gateway
      .output()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line)
      .filter((l) => typeof l.audit === 'string');
  }

  const events = (name: string, match: Line = {}) =>
    audits.filter((a) => a.audit === name && Object.entries(match).every(([k, v]) => a[k] === v));

  it('should record every required event', () => {
    const expected: [string, Line][] = [
      ['login_success', { method: 'password' }],
      ['login_success', { method: 'sms' }],
      ['login_failure', { method: 'password', detail: 'INVALID_CREDENTIALS' }],
      ['login_failure', { method: 'oauth' }],
      ['login_failure', { method: 'oauth', detail: 'invalid_id_token: expired' }],
      ['login_step_required', { detail: 'MFA_AUTH' }],
      ['login_step_required', { detail: 'PASSWORD_EXPIRED' }],
      ['logout', {}],
      ['refresh_refused', { kind: 'session_token' }],
      ['session_revoked', {}],
      ['csrf_rejected', { reason: 'missing X-CSRF header', path: '/auth/logout' }],
      ['csrf_rejected', { reason: 'foreign Origin' }],
      ['csrf_rejected', { route: 'byid' }],
      ['rate_limited', {}],
    ];
    const missing = expected.filter(([name, match]) => events(name, match).length === 0);
    expect(missing).toEqual([]);
    console.info(
      `47: ${audits.length} audit lines: ${[...new Set(audits.map((a) => a.audit))].sort().join(', ')}`,
    );
  });

  it('should give every line a UTC time and its request id, and sessions only as hashes', () => {
    for (const a of audits) {
      expect(a.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      // `time` has the same format as `at` (one time format in every log line).
      expect(a.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Math.abs(Date.parse(a.at as string) - Date.parse(a.time as string))).toBeLessThan(
        1000,
      );
      expect({ audit: a.audit, id: a.reqId ?? a.request_id }).toEqual({
        audit: a.audit,
        id: expect.stringMatching(UUID),
      });
    }
    for (const name of [
      'login_success',
      'login_step_required',
      'logout',
      'refresh_refused',
      'session_revoked',
    ])
      for (const a of events(name))
        expect({ audit: name, session: a.session }).toEqual({
          audit: name,
          session: expect.stringMatching(HASH),
        });
    // No line carries a JWT (the refused id_token included), only reasons.
    for (const a of audits) expect(JSON.stringify(a)).not.toMatch(/eyJ[\w-]+\.eyJ/);
    // The /auth CSRF rejection names the session it rode on.
    expect(events('csrf_rejected', { path: '/auth/logout' })[0].session).toMatch(HASH);
    // One session, one hash: the password login's success and its logout correlate.
    const plainSession = events('login_success', { method: 'password' })[0].session;
    expect(events('logout').map((a) => a.session)).toContain(plainSession);
  });
});
