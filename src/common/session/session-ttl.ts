import type { SessionData } from 'express-session';
import type { Credential } from './credential';

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

/** When a signed-in session ends: idle timeout from the last recorded activity, or absolute (epoch ms). */
export function credentialEndsAt(
  lifetimes: SessionLifetimes,
  c: Pick<Credential, 'created_at' | 'last_seen_at'>,
): number {
  return Math.min(
    c.last_seen_at + lifetimes.idleTimeoutS * 1000,
    c.created_at + lifetimes.absoluteTimeoutS * 1000,
  );
}

/** Seconds to keep a credential record (docs/security.md checks 24 and 25), plus the grace. */
export function credentialTtlSeconds(
  lifetimes: SessionLifetimes,
  c: Credential,
  now = Date.now(),
): number {
  return Math.max(
    1,
    Math.ceil((credentialEndsAt(lifetimes, c) - now) / 1000) + EXPIRED_RECORD_GRACE_S,
  );
}

/**
 * Seconds to keep express-session's record. Signed in: as long as the credential can live (the
 * relay extends the credential without touching this record). Before sign-in: the idle timeout,
 * renewed by each /auth request.
 */
export function sessionRecordTtlSeconds(
  lifetimes: SessionLifetimes,
  session: Partial<SessionData>,
  now = Date.now(),
): number {
  if (!session.signed_in) return lifetimes.idleTimeoutS + EXPIRED_RECORD_GRACE_S;
  const created = session.created_at ?? now;
  return Math.max(
    1,
    Math.ceil((created + lifetimes.absoluteTimeoutS * 1000 - now) / 1000) + EXPIRED_RECORD_GRACE_S,
  );
}
