/** The closed set of error codes of the public contract (docs/api.md section 6). */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UPSTREAM_REJECTED: 400,
  INVALID_CREDENTIALS: 401,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  CSRF_REJECTED: 403,
  ACCESS_DENIED: 403,
  ACCOUNT_LOCKED: 403,
  NOT_FOUND: 404,
  NO_PENDING_STEP: 409,
  CAPTCHA_REQUIRED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UPSTREAM_BAD_RESPONSE: 502,
  UPSTREAM_UNAVAILABLE: 503,
  SESSION_STORE_UNAVAILABLE: 503,
  UPSTREAM_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Messages safe to show a person, used when nothing more precise (e.g. OneAccess's own text) exists.
 * The UPSTREAM_* ones speak of OneAccess, the identity service; a relay target's failure has its
 * own words ({@link backendFailure}).
 */
const DEFAULT_MESSAGE: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request is not valid.',
  UPSTREAM_REJECTED: 'The identity service rejected the request.',
  INVALID_CREDENTIALS: 'The user name, password or code is wrong.',
  UNAUTHENTICATED: 'Sign in first.',
  SESSION_EXPIRED: 'Your session has ended. Please sign in again.',
  CSRF_REJECTED: 'The request was refused: it did not come from this application.',
  ACCESS_DENIED: 'Access denied.',
  ACCOUNT_LOCKED: 'The account is locked.',
  NOT_FOUND: 'Not found.',
  NO_PENDING_STEP: 'This step is not expected now.',
  CAPTCHA_REQUIRED: 'Solve the captcha for this mobile number first.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  UNSUPPORTED_MEDIA_TYPE: 'The request body must be JSON.',
  RATE_LIMITED: 'Too many attempts. Try again later.',
  INTERNAL: 'Something went wrong.',
  UPSTREAM_BAD_RESPONSE: 'The identity service answered unexpectedly.',
  UPSTREAM_UNAVAILABLE: 'The identity service is unavailable. Try again shortly.',
  SESSION_STORE_UNAVAILABLE: 'The session service is unavailable. Try again shortly.',
  UPSTREAM_TIMEOUT: 'The identity service did not answer in time.',
};

export interface FieldError {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  /** OneAccess's `error_code`, shown to clients as `upstream_code`. */
  upstreamCode?: string;
  fields?: FieldError[];
  /** Seconds, sent as `Retry-After` (429, 503). */
  retryAfterS?: number;
  cause?: unknown;
}

/**
 * An error the contract names. Services throw it; the one exception filter turns it into
 * `{ code, message, request_id, ... }` with the code's HTTP status.
 */
export class AppError extends Error {
  readonly status: number;
  readonly upstreamCode?: string;
  readonly fields?: FieldError[];
  readonly retryAfterS?: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    options: AppErrorOptions = {},
  ) {
    super(message ?? DEFAULT_MESSAGE[code], { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
    this.upstreamCode = options.upstreamCode;
    this.fields = options.fields;
    this.retryAfterS = options.retryAfterS;
  }
}

export type UpstreamErrorCode =
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_BAD_RESPONSE'
  | 'UPSTREAM_REJECTED'
  | 'INVALID_CREDENTIALS'
  | 'ACCESS_DENIED'
  | 'ACCOUNT_LOCKED';

/**
 * A failure of a remote API (OneAccess or a relay target). `upstream` names it for logs;
 * `upstreamStatus` is the HTTP status it answered, when it answered.
 */
export class UpstreamError extends AppError {
  constructor(
    code: UpstreamErrorCode,
    readonly upstream: string,
    message?: string,
    options: AppErrorOptions & { upstreamStatus?: number } = {},
  ) {
    super(code, message, options);
    this.name = 'UpstreamError';
    this.upstreamStatus = options.upstreamStatus;
  }

  readonly upstreamStatus?: number;
}

/** The codes an API backend's failure is answered with, and what they tell a person. */
const BACKEND_MESSAGE = {
  UPSTREAM_BAD_RESPONSE: 'The API backend answered unexpectedly.',
  UPSTREAM_UNAVAILABLE: 'The API backend is unavailable. Try again shortly.',
  UPSTREAM_TIMEOUT: 'The API backend did not answer in time.',
} as const;

/**
 * A relay target (an API backend, docs/api.md section 5) could not be reached, did not answer in
 * time or answered unusably. `route` names it in logs; the message never says "identity service",
 * which would send a person looking at their sign-in.
 */
export function backendFailure(
  code: keyof typeof BACKEND_MESSAGE,
  route: string,
  cause: unknown,
): UpstreamError {
  return new UpstreamError(code, route, BACKEND_MESSAGE[code], { cause });
}

/** The session store (Redis) did not answer: 503, and the caller deletes nothing because of it. */
export function storeUnavailable(cause: unknown): AppError {
  return new AppError('SESSION_STORE_UNAVAILABLE', undefined, { cause, retryAfterS: 1 });
}
