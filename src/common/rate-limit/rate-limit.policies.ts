import type { RateLimits } from '../../config/upstreams.config';

/** The policies `@RateLimit()` names, one per kind of endpoint (README "Rate limits"). */
export type RateLimitPolicy =
  | 'login-password'
  | 'login-sms'
  | 'login-social'
  | 'mfa'
  | 'captcha'
  | 'sms-send'
  | 'register'
  | 'password-reset'
  | 'social-bind'
  | 'oauth-login';

export const RATE_LIMIT_POLICY = 'rate-limit:policy';

/** What a rule may key on, read from the request before validation (so: untrusted shapes). */
export interface RequestFacts {
  /** The client address as resolved through TRUST_PROXY. */
  ip: string;
  body: Record<string, unknown>;
  /** The full number of a live MFA step, when the session is in one. */
  stepMobile?: string;
}

/**
 * Which outcomes a counter keeps once the handler has answered; the others are given back.
 * - `attempt`: every request (per-IP counters).
 * - `invalid-credentials`: only answers INVALID_CREDENTIALS (per-account counters: a success,
 *   an outage or a validation error costs the account nothing).
 * - `success`: only requests that succeeded (an SMS actually sent).
 */
export type Counts = 'attempt' | 'invalid-credentials' | 'success';

export interface RateLimitRule {
  /** Names the counter in keys and audit lines; rules with one name share one counter. */
  name: string;
  limit: (limits: RateLimits) => number;
  windowMs: number;
  counts: Counts;
  /** The identity counted (hashed before it is used in a key), or undefined to skip the rule. */
  subject: (facts: RequestFacts) => string | undefined;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Registration, password reset and SMS sending per IP: a third of `login_per_ip` (10 a minute by
 * default). A person needs one or two a minute; these calls create accounts or send SMS, so they
 * are held tighter than logins.
 */
export const derivedPerIp = (limits: RateLimits): number =>
  Math.max(1, Math.ceil(limits.login_per_ip / 3));

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // Case and width variants of one name share one counter: stricter, never looser.
  const normal = value.normalize('NFKC').trim().toLowerCase();
  return normal === '' ? undefined : normal;
}

function perIp(name: string, limit: (limits: RateLimits) => number): RateLimitRule {
  return { name, limit, windowMs: MINUTE, counts: 'attempt', subject: (f) => f.ip };
}

/**
 * Failed credential checks per account, whoever sends them: one counter per user name or mobile,
 * shared by every endpoint that checks a password or an SMS code for it, one minute long.
 */
function accountFailures(source: (facts: RequestFacts) => unknown): RateLimitRule {
  return {
    name: 'login_per_account',
    limit: (l) => l.login_per_account,
    windowMs: MINUTE,
    counts: 'invalid-credentials',
    subject: (f) => text(source(f)),
  };
}

const loginPerIp = perIp('login_per_ip', (l) => l.login_per_ip);
const byMobile = accountFailures((f) => f.body.mobile);

/** SMS actually sent to one number per hour; for `mfa` the number is the step's, not the body's. */
const smsPerMobile: RateLimitRule = {
  name: 'sms_per_mobile_hour',
  limit: (l) => l.sms_per_mobile_hour,
  windowMs: HOUR,
  counts: 'success',
  subject: (f) => text(f.body.purpose === 'mfa' ? f.stepMobile : f.body.mobile),
};

/**
 * Per policy, the rules in the order they are checked: per-IP first, so a client over its own
 * limit cannot spend a victim's per-account budget.
 */
export const POLICIES: Record<RateLimitPolicy, RateLimitRule[]> = {
  // Failed passwords per account are LoginProtectionService's (derived from OneAccess's lockout
  // threshold, with a captcha step), not a per-minute counter that a stranger could run out.
  'login-password': [loginPerIp],
  'login-sms': [loginPerIp, byMobile],
  'login-social': [loginPerIp],
  mfa: [loginPerIp, accountFailures((f) => f.stepMobile)],
  captcha: [perIp('captcha_per_ip', (l) => l.captcha_per_ip)],
  'sms-send': [perIp('sms_per_ip', derivedPerIp), smsPerMobile],
  register: [perIp('register_per_ip', derivedPerIp), byMobile],
  'password-reset': [perIp('reset_per_ip', derivedPerIp), byMobile],
  'social-bind': [loginPerIp, byMobile],
  // Bounds the pre-login records one address can make (each lives 10 minutes in the store).
  'oauth-login': [perIp('oauth_login_per_ip', (l) => l.oauth_login_per_ip)],
};
