import type { SessionData } from 'express-session';

export interface SessionLifetimes {
  idleTimeoutS: number;
  absoluteTimeoutS: number;
}

/**
 * How long a record outlives its own expiry, so that the next request still finds it and can
 * answer 401 SESSION_EXPIRED ("your session ended") instead of looking like it never existed.
 * The gateway refuses such a record either way.
 */
export const EXPIRED_RECORD_GRACE_S = 60;

/**
 * Seconds the store should keep a session: until its idle timeout (from the last recorded
 * activity) or its absolute timeout, whichever comes first, plus the grace above
 * (security.md checks 24 and 25). Sessions not yet signed in count from now.
 */
export function sessionTtlSeconds(
  lifetimes: SessionLifetimes,
  session: SessionData,
  now = Date.now(),
): number {
  const created = session.created_at ?? now;
  const lastSeen = session.last_seen_at ?? created;
  const ends = Math.min(
    lastSeen + lifetimes.idleTimeoutS * 1000,
    created + lifetimes.absoluteTimeoutS * 1000,
  );
  return Math.max(1, Math.ceil((ends - now) / 1000) + EXPIRED_RECORD_GRACE_S);
}
