import request from 'supertest';
import { AuditLog } from '../src/common/audit/audit-log';
import { SessionEnded, SessionEvents } from '../src/modules/tokens/session-events';
import { simControl } from './helpers/flows';
import { waitFor } from './helpers/wait-for';
import { BrowserClient } from './helpers/browser-client';
import {
  COOKIE,
  PASSWORD,
  passwordLogin,
  rawSessionId,
  USERS,
  useSecurityStack,
} from './security/helpers';

const IDLE_S = 5;
const ABSOLUTE_S = 9;

/**
 * Every way a signed-in session ends emits exactly one session-ended event, with its session id
 * and reason, on the instance that ended it (docs/architecture.md "Session-ended events"): the
 * signal a WebSocket relay closes a session's sockets on. Real Redis, simulator and gateway.
 */
describe('session-ended events: one per ending, whichever way it ends', () => {
  const suite = useSecurityStack({
    env: {
      SESSION_IDLE_TIMEOUT_S: String(IDLE_S),
      SESSION_ABSOLUTE_TIMEOUT_S: String(ABSOLUTE_S),
      MAX_SESSIONS_PER_USER: '2',
    },
  });
  let seen: SessionEnded[] = [];
  let unsubscribe: () => void;

  beforeAll(() => {
    unsubscribe = suite.stack.gateway.app
      .get(SessionEvents, { strict: false })
      .onEnded((e) => seen.push(e));
  });
  afterAll(() => unsubscribe?.());
  beforeEach(() => {
    seen = [];
  });

  const sidOf = (b: BrowserClient) => rawSessionId(b.cookies.get(COOKIE) ?? '');
  const only = (sid: string, reason: SessionEnded['reason'], userId?: string) =>
    expect(seen).toEqual([
      { sid, reason, at: expect.any(Number), origin: 'local', ...(userId ? { userId } : {}) },
    ]);

  it('should emit logout once when the session signs out', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.spare.user_name);
    const sid = sidOf(b);
    expect((await b.post('/auth/logout')).status).toBe(200);
    expect((await b.post('/auth/logout')).status).toBe(200); // idempotent: nothing more ends
    expect(seen).toEqual([expect.objectContaining({ sid, reason: 'logout' })]);
  });

  it('should emit replaced once when a new login takes the session’s place', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.spare.user_name);
    const old = sidOf(b);
    await passwordLogin(suite.stack.url, USERS.spare.user_name, b);
    expect(sidOf(b)).not.toBe(old);
    expect(seen).toEqual([expect.objectContaining({ sid: old, reason: 'replaced' })]);
    await b.post('/auth/logout');
  });

  it('should emit ended_by_user once for a session the user ends from another', async () => {
    const me = await passwordLogin(suite.stack.url, USERS.other.user_name);
    const elsewhere = await passwordLogin(suite.stack.url, USERS.other.user_name);
    expect((await me.delete('/auth/sessions')).body).toEqual({ ended: 1 });
    only(sidOf(elsewhere), 'ended_by_user', USERS.other.id);
    // The owner's view of it: signed out there, still signed in here.
    expect((await elsewhere.get('/auth/session')).body.status).toBe('ANONYMOUS');
    expect((await me.get('/auth/session')).body.status).toBe('SUCCESS');
    await me.post('/auth/logout');
  });

  it('should emit revoked once per session the admin API ends', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    const res = await request(suite.stack.url)
      .delete(`/admin/users/${USERS.plain.id}/sessions`)
      .set(suite.stack.admin());
    expect(res.status).toBeLessThan(300);
    only(sidOf(b), 'revoked', USERS.plain.id);
  });

  it('should emit evicted once for the oldest session beyond the per-user limit', async () => {
    const first = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    const second = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    expect(seen).toEqual([]);
    const third = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    only(sidOf(first), 'evicted', USERS.plain.id);
    for (const b of [second, third]) await b.post('/auth/logout');
  });

  it('should emit password_changed once for each other session a password change ends', async () => {
    const login = async () => {
      const b = new BrowserClient(suite.stack.url);
      const res = await b.post('/auth/login/password', {
        user_name: USERS.warn.user_name,
        password: PASSWORD,
      });
      expect(res.body.status).toBe('PASSWORD_WARN');
      return b;
    };
    const elsewhere = await login();
    expect((await elsewhere.post('/auth/password/skip')).body.status).toBe('SUCCESS');
    const changer = await login();
    seen = [];
    const changed = await changer.post('/auth/password/update', {
      old_password: PASSWORD,
      new_password: 'N3wPassw0rd!x',
    });
    expect(changed.body.status).toBe('SUCCESS');
    expect(seen).toEqual([
      expect.objectContaining({ sid: sidOf(elsewhere), reason: 'password_changed' }),
    ]);
  });

  it('should emit idle_timeout once, and audit once, however many calls find it timed out', async () => {
    const viaRelay = await passwordLogin(suite.stack.url, USERS.spare.user_name);
    const viaAuth = await passwordLogin(suite.stack.url, USERS.other.user_name);
    // Taken now: the /auth answers below expire the cookie.
    const sids = [sidOf(viaRelay), sidOf(viaAuth)];
    const audit = jest.spyOn(suite.stack.gateway.app.get(AuditLog, { strict: false }), 'record');
    try {
      const idleEnds = Date.parse((await viaAuth.get('/auth/session')).body.idle_expires_at);
      const relayIdleEnds = Date.parse((await viaRelay.get('/auth/session')).body.idle_expires_at);
      await waitFor(
        () => Date.now() > Math.max(idleEnds, relayIdleEnds) + 300,
        3 * IDLE_S * 1000,
        'the idle timeout',
      );
      // Concurrent calls on both hot paths and on /auth: one ending each.
      const answers = await Promise.all([
        ...Array.from({ length: 4 }, () => viaRelay.get('/api/byid/x')),
        viaAuth.get('/auth/session'),
        viaAuth.get('/auth/profile'),
        viaAuth.get('/auth/session?slide=false'),
      ]);
      // The call that ended it says so; calls that read after it find no session at all.
      const relayed = answers.slice(0, 4).map((r) => [r.status, r.body.code] as const);
      expect(relayed).toContainEqual([401, 'SESSION_EXPIRED']);
      for (const [status, code] of relayed) {
        expect(status).toBe(401);
        expect(['SESSION_EXPIRED', 'UNAUTHENTICATED']).toContain(code);
      }
      expect(seen.map((e) => e.reason).sort()).toEqual(['idle_timeout', 'idle_timeout']);
      expect(new Set(seen.map((e) => e.sid))).toEqual(new Set(sids));
      const expired = audit.mock.calls.filter(([event]) => event === 'session_expired');
      expect(expired.map(([, , sid]) => sid).sort()).toEqual(seen.map((e) => e.sid).sort());
      // The user's view afterwards: plainly signed out, and a new login works.
      expect((await viaAuth.get('/auth/session')).body.status).toBe('ANONYMOUS');
      await passwordLogin(suite.stack.url, USERS.other.user_name, viaAuth);
      expect((await viaAuth.get('/auth/session')).body.status).toBe('SUCCESS');
      await viaAuth.post('/auth/logout');
    } finally {
      audit.mockRestore();
    }
  });

  it('should emit absolute_timeout once for a session kept busy past its absolute lifetime', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.spare.user_name);
    const absoluteEnds = Date.parse((await b.get('/auth/session')).body.expires_at);
    // Busy all along, so the idle timer never runs out first.
    const ending = await waitFor(
      async () => {
        const r = await b.get('/api/byid/busy');
        return r.status === 401 ? r : null;
      },
      3 * ABSOLUTE_S * 1000,
      'the absolute timeout',
    );
    expect(ending?.body.code).toBe('SESSION_EXPIRED');
    expect(Date.now()).toBeGreaterThanOrEqual(absoluteEnds);
    expect(seen).toEqual([
      expect.objectContaining({
        sid: sidOf(b),
        reason: 'absolute_timeout',
        userId: expect.any(String),
      }),
    ]);
  });

  it('should emit refresh_refused once when OneAccess refuses to refresh the tokens', async () => {
    const sim = suite.stack.simulator;
    await simControl(sim, 'PATCH', 'config', { lifetimes: { idToken: 2 } });
    try {
      const b = await passwordLogin(suite.stack.url, USERS.spare.user_name);
      await simControl(sim, 'POST', 'failure', { mode: 'refuse_refresh' });
      // Within the refresh margin (half the 2 s lifetime) the relay must refresh, and is refused.
      await waitFor(
        async () => (await b.get('/api/byid/r')).status === 401,
        4000,
        'the refused refresh',
      );
      expect((await b.get('/api/byid/r')).status).toBe(401);
      expect(seen).toEqual([expect.objectContaining({ sid: sidOf(b), reason: 'refresh_refused' })]);
    } finally {
      await simControl(sim, 'POST', 'failure', { mode: 'none' });
      await simControl(sim, 'PATCH', 'config', { lifetimes: { idToken: 3600 } });
    }
  });
});
