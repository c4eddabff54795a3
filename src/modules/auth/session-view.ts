import type { SessionData } from 'express-session';
import type { PendingStep } from '../../common/session/session.types';
import { SessionView } from './auth.types';
import { maskEmail, maskMobile } from './mask';
import { expiryOf, isSignedIn, Lifetimes } from './session-lifetime';

export const ANONYMOUS_VIEW: Readonly<SessionView> = Object.freeze({
  authenticated: false,
  status: 'ANONYMOUS',
  user: null,
  login_method: null,
  pending: null,
  expires_at: null,
  idle_expires_at: null,
});

function pendingView(step: PendingStep): Record<string, unknown> {
  switch (step.status) {
    case 'MFA_AUTH':
      return { mobile: maskMobile(step.mobile) };
    case 'PASSWORD_WARN':
      return { can_skip: true, password_policy: step.password_policy ?? null };
    case 'PASSWORD_EXPIRED':
      return { can_skip: false };
    case 'SOCIAL_BIND':
      return { provider: step.provider ?? null };
  }
}

/** A live pending step, or undefined when there is none or it has expired. */
export function livePending(data: Partial<SessionData>, now: number): PendingStep | undefined {
  return data.pending && data.pending.expires_at > now ? data.pending : undefined;
}

/**
 * The browser's view of its session (bff-api.md section 3): masked identity, never a token.
 * Callers have already ended timed-out sessions.
 */
export function sessionViewOf(
  data: Partial<SessionData>,
  lifetimes: Lifetimes,
  now: number,
): SessionView {
  const pending = livePending(data, now);
  if (pending) {
    return {
      ...ANONYMOUS_VIEW,
      status: pending.status,
      login_method: pending.login_method,
      pending: pendingView(pending),
    };
  }
  if (!isSignedIn(data)) return { ...ANONYMOUS_VIEW };
  const user = data.user!;
  const { absolute, idle } = expiryOf(data, lifetimes);
  return {
    authenticated: true,
    status: 'SUCCESS',
    user: {
      id: user.id,
      user_name: user.user_name,
      name: user.name,
      mobile: maskMobile(user.mobile),
      email: maskEmail(user.email),
    },
    login_method: data.login_method ?? null,
    pending: null,
    expires_at: new Date(absolute).toISOString(),
    idle_expires_at: new Date(idle).toISOString(),
  };
}
