import { EXPIRED_RECORD_GRACE_S, sessionTtlSeconds } from './session-ttl';

const lifetimes = { idleTimeoutS: 1800, absoluteTimeoutS: 43200 };
const now = 1_800_000_000_000;

describe('sessionTtlSeconds', () => {
  it('should keep a fresh session for the idle timeout plus the grace', () => {
    expect(sessionTtlSeconds(lifetimes, { created_at: now, last_seen_at: now } as never, now)).toBe(
      1800 + EXPIRED_RECORD_GRACE_S,
    );
  });

  it('should count the idle timeout from the last recorded activity', () => {
    const s = { created_at: now - 3_600_000, last_seen_at: now - 600_000 } as never;
    expect(sessionTtlSeconds(lifetimes, s, now)).toBe(1200 + EXPIRED_RECORD_GRACE_S);
  });

  it('should never outlive the absolute timeout (beyond the grace)', () => {
    const s = { created_at: now - (43200 - 100) * 1000, last_seen_at: now } as never;
    expect(sessionTtlSeconds(lifetimes, s, now)).toBe(100 + EXPIRED_RECORD_GRACE_S);
  });

  it('should give an already expired record only what is left of the grace', () => {
    const s = { created_at: now - 50_000_000, last_seen_at: now - 50_000_000 } as never;
    expect(sessionTtlSeconds(lifetimes, s, now)).toBe(1);
  });
});
