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
  /**
   * The client as per-address limits count it: its address as resolved through TRUST_PROXY, an
   * IPv6 address by its RATE_LIMIT_IPV6_PREFIX (address-group.ts).
   */
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
 * Wrong SMS codes for one mobile from one address group, per flow, one minute long. Neither an
 * account-wide count nor one shared by the flows: a stranger's wrong codes must spend only the
 * stranger's own share, never the owner's, and a wrong login code must not block a reset.
 */
function codeFailures(flow: string, source: (facts: RequestFacts) => unknown): RateLimitRule {
  return {
    name: `${flow}_code_failures`,
    limit: (l) => l.login_per_account,
    windowMs: MINUTE,
    counts: 'invalid-credentials',
    subject: (f) => perClient(text(source(f)), f),
  };
}

/** `value` as counted for this request's address group only. */
function perClient(value: string | undefined, facts: RequestFacts): string | undefined {
  return value === undefined ? undefined : `${value}|${facts.ip}`;
}

const loginPerIp = perIp('login_per_ip', (l) => l.login_per_ip);
const bodyMobile = (f: RequestFacts) => f.body.mobile;

/**
 * SMS actually sent to one number per hour from one address group; for `mfa` the number is the
 * step's, not the body's. No count per number alone: a stranger could spend it and leave the
 * owner without a code. What stops a bomb is that every send needs its own solved captcha, this
 * count per group and `sms_per_ip` (README "Rate limits").
 */
const smsPerMobile: RateLimitRule = {
  name: 'sms_per_mobile_hour',
  limit: (l) => l.sms_per_mobile_hour,
  windowMs: HOUR,
  counts: 'success',
  subject: (f) => perClient(text(f.body.purpose === 'mfa' ? f.stepMobile : f.body.mobile), f),
};

/**
 * Per policy, the rules in the order they are checked: per-IP first, so a client over its own
 * limit cannot spend a victim's per-account budget.
 */
export const POLICIES: Record<RateLimitPolicy, RateLimitRule[]> = {
  // Failed passwords per account are LoginProtectionService's (derived from OneAccess's lockout
  // threshold, with a captcha step), not a per-minute counter that a stranger could run out.
  'login-password': [loginPerIp],
  'login-sms': [loginPerIp, codeFailures('login_sms', bodyMobile)],
  'login-social': [loginPerIp],
  mfa: [loginPerIp, codeFailures('mfa', (f) => f.stepMobile)],
  captcha: [perIp('captcha_per_ip', (l) => l.captcha_per_ip)],
  'sms-send': [perIp('sms_per_ip', derivedPerIp), smsPerMobile],
  register: [perIp('register_per_ip', derivedPerIp), codeFailures('register', bodyMobile)],
  'password-reset': [perIp('reset_per_ip', derivedPerIp), codeFailures('reset', bodyMobile)],
  'social-bind': [loginPerIp, codeFailures('bind', bodyMobile)],
  // Bounds the pre-login records one address can make (each lives 10 minutes in the store).
  'oauth-login': [perIp('oauth_login_per_ip', (l) => l.oauth_login_per_ip)],
};
