import { Logger } from '@nestjs/common';
import {
  credentialOf,
  credentialParts,
  CredentialParts,
} from '../../../test/helpers/credential-fixture';
import { SessionEnded, SessionEvents } from './session-events';

const IDLE_S = 600; // touch interval: 60 s
const ABSOLUTE_S = 3600;
const T0 = 1_000_000;

describe('CredentialService: alive, or end it', () => {
  let parts: CredentialParts;
  // The store's clock stands still at T0: the tests move only the service's `now`.
  beforeEach(() => {
    parts = credentialParts({ idleTimeoutS: IDLE_S, absoluteTimeoutS: ABSOLUTE_S }, () => T0);
  });
  afterEach(() => jest.restoreAllMocks());

  const create = (over = {}) => parts.service.create('s1', credentialOf(over, T0));
  const read = async () => (await parts.service.get('s1'))!;

  it('should hand back a live record that needs no write as it is, without a promise', async () => {
    await create();
    const stored = await read();
    expect(parts.service.aliveOrEnd('s1', stored, T0 + 59_000, true, {})).toBe(stored);
    // Not sliding: no write however old the activity, as long as the session lives.
    expect(parts.service.aliveOrEnd('s1', stored, T0 + 500_000, false, {})).toBe(stored);
    expect((await read()).version).toBe(1);
    expect(parts.ended).toEqual([]);
  });

  it('should record activity once the touch interval has passed, and only when sliding', async () => {
    await create();
    const alive = parts.service.aliveOrEnd('s1', await read(), T0 + 61_000, true, {});
    expect(alive).toBeInstanceOf(Promise);
    expect(await alive).toEqual({
      version: 2,
      credential: credentialOf({ last_seen_at: T0 + 61_000 }, T0),
    });
    expect((await read()).credential.last_seen_at).toBe(T0 + 61_000);
  });

  it('should end an idle session once, with one audit line and one event', async () => {
    await create();
    const stored = await read();
    const late = T0 + IDLE_S * 1000;
    const verdicts = await Promise.all([
      parts.service.aliveOrEnd('s1', stored, late, true, { client: '10.0.0.1', requestId: 'r-1' }),
      parts.service.aliveOrEnd('s1', stored, late, false, { client: '10.0.0.1', requestId: 'r-2' }),
    ]);
    expect(verdicts).toEqual([null, null]);
    expect(await parts.service.get('s1')).toBeNull();
    expect(parts.auditLines).toEqual([
      expect.objectContaining({
        audit: 'session_expired',
        request_id: 'r-1',
        session: parts.audit.sessionHash('s1'),
        user: parts.audit.pseudonym('u-1'),
        client: parts.audit.pseudonym('10.0.0.1'),
      }),
    ]);
    expect(parts.ended).toEqual([
      { sid: 's1', reason: 'idle_timeout', userId: 'u-1', at: expect.any(Number), origin: 'local' },
    ]);
  });

  it('should name the absolute timeout when the session outlived its lifetime', async () => {
    // Active a moment ago, but created longer ago than the absolute lifetime.
    const now = T0 + ABSOLUTE_S * 1000;
    await create({ last_seen_at: now - 1000 });
    expect(await parts.service.aliveOrEnd('s1', await read(), now, true, {})).toBeNull();
    expect(parts.ended.map((e) => e.reason)).toEqual(['absolute_timeout']);
  });

  it('should leave a timed-out session to the caller that ends it when told to hand over', async () => {
    await create();
    const stored = await read();
    expect(parts.service.aliveOrEnd('s1', stored, T0 + IDLE_S * 1000, true, null)).toBeNull();
    expect(await read()).toBe(stored);
    expect(parts.auditLines).toEqual([]);
    expect(parts.ended).toEqual([]);
  });

  it('should emit for the ending call only', async () => {
    await create();
    expect(await parts.service.end('s1', 'logout', 'u-1')).toBe(true);
    expect(await parts.service.end('s1', 'logout', 'u-1')).toBe(false);
    expect(await parts.service.end('never', 'revoked')).toBe(false);
    expect(parts.ended.map((e) => [e.sid, e.reason])).toEqual([['s1', 'logout']]);
  });
});

describe('SessionEvents', () => {
  afterEach(() => jest.restoreAllMocks());

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
    // Plain data: what a cross-instance publisher would send arrives equal.
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });
});
