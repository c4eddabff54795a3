import type { RequestContext } from '../http/request-context';
import type { LoginStep } from '../sessions/state-token-store';
import { policyAsDataString } from '../users/password-policy';
import type { User } from '../users/user-store';

/** The login result object of §4.1; absent fields are omitted, never null. */
export type LoginResult =
  | { status: 'SUCCESS'; session_token: string; id_token: string; expire: number }
  | { status: 'ACCESS_DENIED' }
  | PendingResult;

/** A result that needs a follow-up call with `X-state-token`. */
export interface PendingResult {
  status: LoginStep;
  state_token: string;
  /** PASSWORD_WARN only: the password policy as a JSON string. */
  data?: string;
}

/**
 * The status machine after a correct password (§4.2), in this order:
 * ACCESS_DENIED → PASSWORD_EXPIRED → PASSWORD_WARN → MFA_AUTH → SUCCESS.
 * The password steps come before MFA; after a password step the flow continues with
 * {@link afterPasswordStep}.
 */
export function afterPassword(ctx: RequestContext, user: User): LoginResult {
  if (user.access_denied) return { status: 'ACCESS_DENIED' };
  if (user.password_state === 'expired') return pending(ctx, user, 'PASSWORD_EXPIRED');
  if (user.password_state === 'warn') {
    return { ...pending(ctx, user, 'PASSWORD_WARN'), data: policyAsDataString() };
  }
  return afterPasswordStep(ctx, user);
}

/** After pwd/update or pwd/skip-update: MFA when the user has it, else SUCCESS. */
export function afterPasswordStep(ctx: RequestContext, user: User): LoginResult {
  if (user.mfa) return pending(ctx, user, 'MFA_AUTH');
  return success(ctx, user);
}

/**
 * Logins whose first factor is not the password (SMS code, WeChat, Alipay) and completed MFA:
 * only the access policy applies (the SMS code already proves the phone; password expiry is
 * about the password).
 */
export function directLogin(ctx: RequestContext, user: User): LoginResult {
  if (user.access_denied) return { status: 'ACCESS_DENIED' };
  return success(ctx, user);
}

export function success(ctx: RequestContext, user: User): LoginResult {
  const tokens = ctx.sim.state.sessions.create(
    user,
    ctx.sim.config.clientId,
    ctx.header('x-device-fingerprint') ?? '',
  );
  return { status: 'SUCCESS', ...tokens };
}

function pending(
  ctx: RequestContext,
  user: User,
  step: Exclude<LoginStep, 'SOCIAL_BIND'>,
): PendingResult {
  const state_token = ctx.sim.state.stateTokens.issue({
    subject: user.id,
    step,
    clientId: ctx.sim.config.clientId,
  });
  return { status: step, state_token };
}
