import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { AuditEvent, AuditLog } from '../../common/audit/audit-log';
import type { Credential } from '../../common/session/credential';
import { MemoryCredentialStore } from '../../common/session/memory-credential.store';
import type { sessionConfig } from '../../config/session.config';
import { CredentialService } from './credential.service';
import { SessionEnded, SessionEvents } from './session-events';

const IDLE_S = 600; // touch interval: 60 s
const ABSOLUTE_S = 3600;
const T0 = 1_000_000;

/** Records what would be audited; the real AuditLog writes log lines the tests need not read. */
class AuditRecorder {
  lines: Array<{ event: AuditEvent; fields: Record<string, unknown>; sid?: string }> = [];
  record(event: AuditEvent, fields: Record<string, unknown> = {}, sid?: string): void {
    this.lines.push({ event, fields, sid });
  }
}

describe('CredentialService: alive, or end it', () => {
  let store: MemoryCredentialStore;
  let audit: AuditRecorder;
  let events: SessionEvents;
  let ended: SessionEnded[];
  let service: CredentialService;
  const credential = (over: Partial<Credential> = {}): Credential => ({
    user: { id: 'u-1', user_name: 'zhangsan', name: 'Z', mobile: '', email: '' },
    login_method: 'password',
    fingerprint: 'fp',
    created_at: T0,
    last_seen_at: T0,
    ip: '127.0.0.1',
    user_agent: 'UA',
    tokens: { session_token: 'st' },
    ...over,
  });

  beforeEach(() => {
    // The store's clock stands still at T0: the tests move only the service's `now`.
    store = new MemoryCredentialStore(100, () => T0);
    audit = new AuditRecorder();
    events = new SessionEvents();
    ended = [];
    events.onEnded((e) => ended.push(e));
    const cfg = { idleTimeoutS: IDLE_S, absoluteTimeoutS: ABSOLUTE_S } as ConfigType<
      typeof sessionConfig
    >;
    service = new CredentialService(store, cfg, audit as unknown as AuditLog, events);
  });

  const read = async (sid = 's1') => (await service.get(sid))!;

  it('should hand back a live record that needs no write as it is, without a promise', async () => {
    await service.create('s1', credential());
    const stored = await read();
    expect(service.aliveOrEnd('s1', stored, T0 + 59_000, true, {})).toBe(stored);
    // Not sliding: no write however old the activity, as long as the session lives.
    expect(service.aliveOrEnd('s1', stored, T0 + 500_000, false, {})).toBe(stored);
    expect((await read()).version).toBe(1);
    expect(ended).toEqual([]);
  });

  it('should record activity once the touch interval has passed, and only when sliding', async () => {
    await service.create('s1', credential());
    const alive = service.aliveOrEnd('s1', await read(), T0 + 61_000, true, {});
    expect(alive).toBeInstanceOf(Promise);
    expect(await alive).toEqual({
      version: 2,
      credential: credential({ last_seen_at: T0 + 61_000 }),
    });
    expect((await read()).credential.last_seen_at).toBe(T0 + 61_000);
  });

  it('should end an idle session once, with one audit line and one event', async () => {
    await service.create('s1', credential());
    const stored = await read();
    const late = T0 + IDLE_S * 1000;
    const verdicts = await Promise.all([
      service.aliveOrEnd('s1', stored, late, true, { client: '10.0.0.1', requestId: 'r-1' }),
      service.aliveOrEnd('s1', stored, late, false, { client: '10.0.0.1', requestId: 'r-2' }),
    ]);
    expect(verdicts).toEqual([null, null]);
    expect(await service.get('s1')).toBeNull();
    expect(audit.lines).toEqual([
      { event: 'session_expired', fields: { request_id: 'r-1' }, sid: 's1' },
    ]);
    expect(ended).toEqual([
      { sid: 's1', reason: 'idle_timeout', userId: 'u-1', at: expect.any(Number), origin: 'local' },
    ]);
  });

  it('should name the absolute timeout when the session outlived its lifetime', async () => {
    // Active a moment ago, but created longer ago than the absolute lifetime.
    const now = T0 + ABSOLUTE_S * 1000;
    await service.create('s1', credential({ last_seen_at: now - 1000 }));
    expect(await service.aliveOrEnd('s1', await read(), now, true, {})).toBeNull();
    expect(ended.map((e) => e.reason)).toEqual(['absolute_timeout']);
  });

  it('should leave a timed-out session to the caller that ends it when told to hand over', async () => {
    await service.create('s1', credential());
    const stored = await read();
    expect(service.aliveOrEnd('s1', stored, T0 + IDLE_S * 1000, true, null)).toBeNull();
    expect(await read()).toBe(stored);
    expect(audit.lines).toEqual([]);
    expect(ended).toEqual([]);
  });

  it('should emit for the ending call only', async () => {
    await service.create('s1', credential());
    expect(await service.end('s1', 'logout', 'u-1')).toBe(true);
    expect(await service.end('s1', 'logout', 'u-1')).toBe(false);
    expect(await service.end('never', 'revoked')).toBe(false);
    expect(ended.map((e) => [e.sid, e.reason])).toEqual([['s1', 'logout']]);
  });
});

describe('SessionEvents', () => {
  it('should reach every listener even when one throws, and stop after unsubscribing', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const events = new SessionEvents();
    const got: string[] = [];
    events.onEnded(() => {
      throw new Error('a broken listener');
    });
    const off = events.onEnded((e) => got.push(e.reason));
    const event: SessionEnded = { sid: 's', reason: 'revoked', at: 1, origin: 'local' };
    events.emitEnded(event);
    off();
    events.emitEnded(event);
    expect(got).toEqual(['revoked']);
    expect(logged).toHaveBeenCalledTimes(2); // the broken one stays subscribed
    logged.mockRestore();
    // Plain data: what a cross-instance publisher would send arrives equal.
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });
});
