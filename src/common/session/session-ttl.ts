import type { SessionData } from 'express-session';

export interface SessionLifetimes {
  idleTimeoutS: number;
  absoluteTimeoutS: number;
}

/**
 * Seconds the store should keep a session: the idle timeout, cut short by the absolute one, so
 * a record never outlives either (security.md checks 24 and 25).
 */
export function sessionTtlSeconds(
  lifetimes: SessionLifetimes,
  session: SessionData,
  now = Date.now(),
): number {
  const created = session.created_at ?? now;
  const absoluteLeft = Math.floor((created + lifetimes.absoluteTimeoutS * 1000 - now) / 1000);
  return Math.max(0, Math.min(lifetimes.idleTimeoutS, absoluteLeft));
}
