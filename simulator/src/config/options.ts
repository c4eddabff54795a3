import type { SeedData } from '../seed/seed.types';

/** Every lifetime the simulator hands out, in seconds (fractions allowed, so tests can use 0.5). */
export interface Lifetimes {
  sessionToken: number;
  idToken: number;
  stateToken: number;
  ssoTicket: number;
  tenantToken: number;
  captcha: number;
  captchaToken: number;
  smsCode: number;
  oauthCode: number;
  oauthAccessToken: number;
  oauthRefreshToken: number;
}

export type OAuthPkceMode = 'off' | 'optional' | 'required';
export type OAuthClientAuth = 'any' | 'post' | 'basic';
export type IdTokenFault =
  | 'none'
  | 'foreign-key'
  | 'foreign-aud'
  | 'foreign-iss'
  | 'foreign-sub'
  | 'expired'
  | 'wrong-nonce';
export const ID_TOKEN_FAULTS: readonly IdTokenFault[] = [
  'none',
  'foreign-key',
  'foreign-aud',
  'foreign-iss',
  'foreign-sub',
  'expired',
  'wrong-nonce',
];

/** Options of {@link startSimulator}. Every field has a default; see `simulator/README.md`. */
export interface SimulatorOptions {
  /** 0 = a free port; the standalone entry defaults to 7100. */
  port: number;
  host: string;
  /** The one application the simulator knows (X-client-id, OAuth client_id, tenant credentials). */
  clientId: string;
  clientSecret: string;
  /** When set, `X-tenant-id` must equal it on every call that sends the header. */
  tenantId?: string;
  /** Enables the development-only `/__sim/*` control endpoints. */
  control: boolean;
  /** Seed object, or the path of a JSON seed file; default `simulator/seed/default-seed.json`. */
  seed?: SeedData | string;
  lifetimes: Partial<Lifetimes>;
  /** Accepted distance between the X-signature timestamp and the simulator's clock. */
  signatureWindowMs: number;
  rejectReplayedNonce: boolean;
  /** MGF1 digest of the X-signature OAEP padding (the OAEP digest itself is always SHA-256). */
  oaepMgf1Hash: 'sha256' | 'sha1';
  publicKeyFormat: 'pem' | 'base64' | 'pem-escaped';
  ssoVerifyShape: 'nested' | 'flat';
  /**
   * How `expire` / `expires_in` go on the wire: a JSON number (as the examples), a numeric string
   * (one Huawei page types it String), or a non-numeric string (a broken answer, for tests).
   */
  lifetimeFormat: 'number' | 'string' | 'non-numeric';
  /** `swapped`: SDK, SSO and tenant errors as `{error, error_description}`, OAuth's as `{error_code, error_msg}`. */
  errorShape: 'documented' | 'swapped';
  /** `eiam`: Bamboo EIAM's `SDK.*` codes for wrong password, lockout and missing device headers. */
  errorCodes: 'huawei' | 'eiam';
  revokeSessionTokenOnRefresh: boolean;
  oauthRefreshTokens: boolean;
  oauthRotateRefreshToken: boolean;
  oauthAuthorize: 'auto' | 'login-page';
  /** user_name approved by `oauthAuthorize: 'auto'`. */
  oauthAutoUser: string;
  /**
   * Registered OAuth redirect URIs. A redirect_uri is accepted only when it equals one of them
   * exactly (RFC 9700 §4.1.3: no origin or prefix matching). Empty = any http(s) URI.
   */
  oauthRedirectUris: string[];
  /**
   * PKCE (RFC 7636) at authorize and token: `off` models an instance that rejects PKCE parameters,
   * `optional` verifies a `code_challenge` when one was sent, `required` refuses codes without one.
   */
  oauthPkce: OAuthPkceMode;
  /** Client authentication the token endpoint accepts: form body, HTTP Basic, or either. */
  oauthClientAuth: OAuthClientAuth;
  /** Adds the OIDC `sub` to userinfo; off = OneAccess's documented `{id,userName,name,email,mobile}`. */
  oauthUserinfoSub: boolean;
  /** Makes every OIDC id_token from the token endpoint bad in one way, for verifier tests. */
  oauthIdTokenFault: IdTokenFault;
  lockoutThreshold: number;
  lockoutSeconds: number;
  captchaToleranceX: number;
  /** Minimum seconds between two SMS to the same (mobile, type); 0 disables the check. */
  smsResendIntervalS: number;
  /**
   * Milliseconds every non-control request waits before it is handled, like the real service's
   * response time (benchmarks of the login path); 0 = answer at once.
   */
  latencyMs: number;
  /**
   * Serve https with this certificate and key (PEM) instead of plain http: a rehearsal of
   * production, which refuses an `http://` OneAccess. See {@link makeCertificate}.
   */
  tls?: { cert: string; key: string };
  /** One line per request, never with token or password values. Default: silent. */
  logger?: (line: string) => void;
}

/** What {@link startSimulator} resolves to. */
export interface RunningSimulator {
  /** e.g. `http://127.0.0.1:41234` (`https://` with `tls`), no trailing slash. */
  url: string;
  port: number;
  clientId: string;
  clientSecret: string;
  /** Closes the server and every keep-alive socket promptly. */
  close(): Promise<void>;
}

/** Options after defaults are applied; `lifetimes` is complete. */
export type ResolvedOptions = Omit<SimulatorOptions, 'lifetimes'> & { lifetimes: Lifetimes };

/** Defaults from §10 of docs/oneaccess.md where it has a value, otherwise the most common choice. */
export const DEFAULT_LIFETIMES: Lifetimes = {
  sessionToken: 604800,
  idToken: 7200,
  stateToken: 600,
  ssoTicket: 300,
  tenantToken: 1800,
  captcha: 120,
  captchaToken: 300,
  smsCode: 300,
  oauthCode: 300,
  oauthAccessToken: 7200,
  oauthRefreshToken: 2592000,
};

export const DEFAULT_CLIENT_ID = 'OneAccessSimDevClient0000000001';
export const DEFAULT_CLIENT_SECRET = 'sim-dev-secret-change-me';
/** The plain seed user of `default-seed.json`. */
export const DEFAULT_OAUTH_AUTO_USER = 'zhangsan';

const DEFAULTS: Omit<ResolvedOptions, 'lifetimes'> = {
  port: 0,
  host: '127.0.0.1',
  clientId: DEFAULT_CLIENT_ID,
  clientSecret: DEFAULT_CLIENT_SECRET,
  control: false,
  signatureWindowMs: 300000,
  rejectReplayedNonce: true,
  oaepMgf1Hash: 'sha256',
  publicKeyFormat: 'pem',
  ssoVerifyShape: 'nested',
  lifetimeFormat: 'number',
  errorShape: 'documented',
  errorCodes: 'huawei',
  revokeSessionTokenOnRefresh: true,
  oauthRefreshTokens: true,
  oauthRotateRefreshToken: true,
  oauthAuthorize: 'login-page',
  oauthAutoUser: DEFAULT_OAUTH_AUTO_USER,
  oauthRedirectUris: [],
  oauthPkce: 'optional',
  oauthClientAuth: 'any',
  oauthUserinfoSub: false,
  oauthIdTokenFault: 'none',
  lockoutThreshold: 10,
  lockoutSeconds: 180,
  captchaToleranceX: 5,
  smsResendIntervalS: 60,
  latencyMs: 0,
};

/** The options `PATCH /__sim/config` may change at run time. */
export const RUNTIME_KEYS = [
  'signatureWindowMs',
  'rejectReplayedNonce',
  'oaepMgf1Hash',
  'publicKeyFormat',
  'ssoVerifyShape',
  'lifetimeFormat',
  'errorShape',
  'errorCodes',
  'revokeSessionTokenOnRefresh',
  'oauthRefreshTokens',
  'oauthRotateRefreshToken',
  'oauthAuthorize',
  'oauthAutoUser',
  'oauthRedirectUris',
  'oauthPkce',
  'oauthClientAuth',
  'oauthUserinfoSub',
  'oauthIdTokenFault',
  'lockoutThreshold',
  'lockoutSeconds',
  'captchaToleranceX',
  'smsResendIntervalS',
  'latencyMs',
] as const;

/**
 * Applies defaults and rejects values that would make the simulator misbehave silently.
 * @throws Error naming every invalid option.
 */
export function resolveOptions(options: Partial<SimulatorOptions> = {}): ResolvedOptions {
  const defined = Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<SimulatorOptions>;
  const resolved: ResolvedOptions = {
    ...DEFAULTS,
    ...defined,
    oauthRedirectUris: [...(defined.oauthRedirectUris ?? DEFAULTS.oauthRedirectUris)],
    lifetimes: { ...DEFAULT_LIFETIMES, ...stripUndefined(defined.lifetimes ?? {}) },
  };
  const problems = validateOptions(resolved);
  if (problems.length > 0) {
    throw new Error(`Invalid simulator options: ${problems.join('; ')}`);
  }
  return resolved;
}

/** Lists what is wrong with a resolved option set (empty when valid). */
export function validateOptions(o: ResolvedOptions): string[] {
  const problems: string[] = [];
  const positive = (name: string, value: unknown, allowZero = false): void => {
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < 0 ||
      (!allowZero && value === 0)
    ) {
      problems.push(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
    }
  };
  const oneOf = (name: string, value: unknown, allowed: readonly string[]): void => {
    if (!allowed.includes(value as string))
      problems.push(`${name} must be one of ${allowed.join(', ')}`);
  };
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)
    problems.push('port must be 0..65535');
  if (!o.clientId) problems.push('clientId is required');
  if (!o.clientSecret) problems.push('clientSecret is required');
  for (const [name, value] of Object.entries(o.lifetimes)) {
    if (!(name in DEFAULT_LIFETIMES)) problems.push(`unknown lifetime ${name}`);
    else positive(`lifetimes.${name}`, value);
  }
  positive('signatureWindowMs', o.signatureWindowMs);
  positive('lockoutThreshold', o.lockoutThreshold);
  positive('lockoutSeconds', o.lockoutSeconds);
  positive('captchaToleranceX', o.captchaToleranceX, true);
  positive('smsResendIntervalS', o.smsResendIntervalS, true);
  positive('latencyMs', o.latencyMs, true);
  oneOf('oaepMgf1Hash', o.oaepMgf1Hash, ['sha256', 'sha1']);
  oneOf('publicKeyFormat', o.publicKeyFormat, ['pem', 'base64', 'pem-escaped']);
  oneOf('ssoVerifyShape', o.ssoVerifyShape, ['nested', 'flat']);
  oneOf('lifetimeFormat', o.lifetimeFormat, ['number', 'string', 'non-numeric']);
  oneOf('errorShape', o.errorShape, ['documented', 'swapped']);
  oneOf('errorCodes', o.errorCodes, ['huawei', 'eiam']);
  oneOf('oauthAuthorize', o.oauthAuthorize, ['auto', 'login-page']);
  oneOf('oauthPkce', o.oauthPkce, ['off', 'optional', 'required']);
  oneOf('oauthClientAuth', o.oauthClientAuth, ['any', 'post', 'basic']);
  oneOf('oauthIdTokenFault', o.oauthIdTokenFault, ID_TOKEN_FAULTS);
  if (
    !Array.isArray(o.oauthRedirectUris) ||
    o.oauthRedirectUris.some((u) => typeof u !== 'string')
  ) {
    problems.push('oauthRedirectUris must be an array of strings');
  }
  for (const flag of [
    'control',
    'rejectReplayedNonce',
    'revokeSessionTokenOnRefresh',
    'oauthRefreshTokens',
    'oauthRotateRefreshToken',
    'oauthUserinfoSub',
  ] as const) {
    if (typeof o[flag] !== 'boolean') problems.push(`${flag} must be a boolean`);
  }
  return problems;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
