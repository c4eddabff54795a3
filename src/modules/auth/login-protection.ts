import { accountName } from '../../common/session/account-name';

/**
 * How many failed passwords the gateway lets through, derived from OneAccess's lockout policy
 * (docs/oneaccess.md section 10: `threshold` consecutive failures lock the account; OneAccess
 * itself asks for a slider captcha once failures exceed a third of it).
 */
export interface LoginProtectionLimits {
  /** Failures of one account after which every further attempt needs a verified captcha. */
  captchaAfter: number;
  /**
   * Failures of one account after which no attempt is forwarded at all: one below OneAccess's
   * threshold, so no sequence of wrong passwords sent through the gateway can lock the account.
   */
  hardStop: number;
  /** Failures from one address (any accounts) after which its attempts need a captcha. */
  captchaAfterPerAddress: number;
}

/** How long the gateway remembers an account's failures: OneAccess's count does not decay. */
export const ACCOUNT_MEMORY_MS = 24 * 3600_000;
/** The window of the per-address count. */
export const ADDRESS_WINDOW_MS = 15 * 60_000;

/**
 * The limits for a lockout threshold of 1-10. Below 3 there is no failure to spare before the
 * captcha, so every attempt needs one; at 1 even the first wrong password locks, and the gateway
 * still forwards one attempt (a hard stop of 0 would shut the owner out for good).
 */
export function loginProtectionLimits(threshold: number): LoginProtectionLimits {
  return {
    captchaAfter: Math.floor(threshold / 3),
    hardStop: Math.max(1, threshold - 1),
    captchaAfterPerAddress: threshold,
  };
}


/** How long the gateway remembers which account names a mobile belongs to (seconds). */
export const NAMES_MEMORY_S = 30 * 86_400;

/** The names a user may type to sign in with a password: user name, mobile, email. */
export function accountNamesOf(user: {
  user_name: string;
  mobile: string;
  email: string;
}): string[] {
  const names = [user.user_name, user.mobile, user.email].map(accountName).filter((n) => n !== '');
  return [...new Set(names)];
}
