import type { SessionData } from 'express-session';
import type { Credential } from '../../common/session/credential';
import type { PendingStep } from '../../common/session/session.types';
import { SessionView } from './auth.types';
import { maskEmail, maskMobile } from './mask';

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

/**
 * Whether a request moves the session's idle timer on: all do but `GET /auth/session?slide=false`,
 * the poll that must not keep an unattended session alive (docs/security.md 27). `slide` is the
 * query parameter as received.
 */
export function slidesIdleTimer(method: string | undefined, slide: unknown): boolean {
  return !(method === 'GET' && slide === 'false');
}

/** A live pending step, or undefined when there is none or it has expired. */
export function livePending(data: Partial<SessionData>, now: number): PendingStep | undefined {
  return data.pending && data.pending.expires_at > now ? data.pending : undefined;
}

/**
 * The browser's view of its session (docs/api.md section 3): masked identity, never a token.
 * `signedIn` is the live credential with its expiry; callers have already ended timed-out sessions.
 */
export function sessionViewOf(
  data: Partial<SessionData>,
  signedIn: { credential: Credential; idle: number; absolute: number } | null,
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
  if (!signedIn) return { ...ANONYMOUS_VIEW };
  const { user, login_method } = signedIn.credential;
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
    login_method,
    pending: null,
    expires_at: new Date(signedIn.absolute).toISOString(),
    idle_expires_at: new Date(signedIn.idle).toISOString(),
  };
}
