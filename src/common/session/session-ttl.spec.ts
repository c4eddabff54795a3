import {
  credentialTtlSeconds,
  EXPIRED_RECORD_GRACE_S,
  sessionRecordTtlSeconds,
} from './session-ttl';
import type { Credential } from './credential';

const lifetimes = { idleTimeoutS: 1800, absoluteTimeoutS: 43200 };
const now = 1_800_000_000_000;
const cred = (created: number, lastSeen: number) =>
  ({ created_at: created, last_seen_at: lastSeen }) as Credential;

describe('session record lifetimes', () => {
  it('should keep a fresh credential for the idle timeout plus the grace', () => {
    expect(credentialTtlSeconds(lifetimes, cred(now, now), now)).toBe(
      1800 + EXPIRED_RECORD_GRACE_S,
    );
  });

  it('should count the idle timeout from the last recorded activity', () => {
    expect(credentialTtlSeconds(lifetimes, cred(now - 3_600_000, now - 600_000), now)).toBe(
      1200 + EXPIRED_RECORD_GRACE_S,
    );
  });

  it('should never let a credential outlive the absolute timeout (beyond the grace)', () => {
    expect(credentialTtlSeconds(lifetimes, cred(now - (43200 - 100) * 1000, now), now)).toBe(
      100 + EXPIRED_RECORD_GRACE_S,
    );
  });

  it('should give an already expired credential at most one second', () => {
    expect(credentialTtlSeconds(lifetimes, cred(now - 50_000_000, now - 50_000_000), now)).toBe(1);
  });

  it('should keep a signed-in session record until the absolute timeout and a pre-login one for the idle timeout', () => {
    expect(
      sessionRecordTtlSeconds(lifetimes, { signed_in: true, created_at: now - 1000_000 }, now),
    ).toBe(43200 - 1000 + EXPIRED_RECORD_GRACE_S);
    expect(sessionRecordTtlSeconds(lifetimes, { fingerprint: 'x' }, now)).toBe(
      1800 + EXPIRED_RECORD_GRACE_S,
    );
  });
});
