import type { SessionData } from 'express-session';

export interface Lifetimes {
  idleTimeoutS: number;
  absoluteTimeoutS: number;
}

/**
 * Activity is recorded at most this often, so a busy session is not rewritten on every request;
 * an idle session may therefore end up to this much before its exact idle timeout, never after.
 */
export function touchIntervalMs(lifetimes: Lifetimes): number {
  return Math.min(60_000, (lifetimes.idleTimeoutS * 1000) / 10);
}

export function isSignedIn(data: Partial<SessionData>): boolean {
  return data.user !== undefined && data.tokens !== undefined;
}

/** When the signed-in session ends for good, and when it ends without activity (epoch ms). */
export function expiryOf(
  data: Partial<SessionData>,
  lifetimes: Lifetimes,
): { absolute: number; idle: number } {
  const absolute = (data.created_at ?? 0) + lifetimes.absoluteTimeoutS * 1000;
  const idle = Math.min(
    absolute,
    (data.last_seen_at ?? data.created_at ?? 0) + lifetimes.idleTimeoutS * 1000,
  );
  return { absolute, idle };
}

/** True when a signed-in session's idle or absolute timeout has passed (security.md 24, 25). */
export function hasTimedOut(
  data: Partial<SessionData>,
  lifetimes: Lifetimes,
  now: number,
): boolean {
  return isSignedIn(data) && now >= expiryOf(data, lifetimes).idle;
}

/** Whether this request should move the idle timer on (it is activity and the record is stale enough). */
export function shouldRecordActivity(
  data: Partial<SessionData>,
  lifetimes: Lifetimes,
  now: number,
): boolean {
  return isSignedIn(data) && now - (data.last_seen_at ?? 0) >= touchIntervalMs(lifetimes);
}
