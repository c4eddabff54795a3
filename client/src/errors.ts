import type { ErrorBody, FieldError } from './types.js';

/**
 * The contract's error codes (section 6), plus two of this client's own: `NETWORK_ERROR` (the
 * gateway could not be reached; status 0) and `HTTP_<status>` (an answer without the contract's
 * error body, e.g. from a proxy in front of the gateway).
 */
export type BffErrorCode =
  | 'VALIDATION_FAILED'
  | 'UPSTREAM_REJECTED'
  | 'INVALID_CREDENTIALS'
  | 'UNAUTHENTICATED'
  | 'SESSION_EXPIRED'
  | 'CSRF_REJECTED'
  | 'ACCESS_DENIED'
  | 'ACCOUNT_LOCKED'
  | 'NOT_FOUND'
  | 'NO_PENDING_STEP'
  | 'CAPTCHA_REQUIRED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'UPSTREAM_BAD_RESPONSE'
  | 'UPSTREAM_UNAVAILABLE'
  | 'SESSION_STORE_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'INTERNAL'
  | 'NETWORK_ERROR'
  | `HTTP_${number}`;

export interface BffErrorDetails {
  request_id?: string;
  errors?: FieldError[];
  upstream_code?: string;
  retry_after_s?: number;
}

/** A refused or failed call. `message` is safe to show to a person. */
export class BffError extends Error {
  /** Which field failed validation, for VALIDATION_FAILED; else empty. */
  readonly errors: FieldError[];
  /** The gateway's request id, for a support ticket. */
  readonly request_id: string | undefined;
  /** OneAccess's own error code, when it gave one. */
  readonly upstream_code: string | undefined;
  /**
   * From `Retry-After` (RATE_LIMITED), in seconds; undefined at the account-wide password stop,
   * which waiting does not lift (the message says what does).
   */
  readonly retry_after_s: number | undefined;

  constructor(
    readonly status: number,
    readonly code: BffErrorCode | (string & {}),
    message: string,
    details: BffErrorDetails = {},
  ) {
    super(message);
    this.name = 'BffError';
    this.errors = details.errors ?? [];
    this.request_id = details.request_id;
    this.upstream_code = details.upstream_code;
    this.retry_after_s = details.retry_after_s;
  }

  /** True for the answers that mean "sign in again" (UNAUTHENTICATED, SESSION_EXPIRED). */
  get signedOut(): boolean {
    return this.code === 'UNAUTHENTICATED' || this.code === 'SESSION_EXPIRED';
  }

  /** The contract's error in a parsed body, or null when the body is something else. */
  static fromBody(status: number, body: unknown, retryAfterS?: number): BffError | null {
    if (typeof body !== 'object' || body === null) return null;
    const b = body as Partial<ErrorBody>;
    if (typeof b.code !== 'string' || typeof b.message !== 'string') return null;
    return new BffError(status, b.code, b.message, {
      request_id: typeof b.request_id === 'string' ? b.request_id : undefined,
      errors: Array.isArray(b.errors) ? b.errors : [],
      upstream_code: typeof b.upstream_code === 'string' ? b.upstream_code : undefined,
      retry_after_s: retryAfterS,
    });
  }

  /** The error a failed response stands for (it reads the body). */
  static async fromResponse(res: Response): Promise<BffError> {
    const retryAfter = Number(res.headers.get('Retry-After'));
    const retryAfterS = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
    let body: unknown;
    try {
      body = JSON.parse(await res.text());
    } catch {
      body = undefined;
    }
    return (
      BffError.fromBody(res.status, body, retryAfterS) ??
      new BffError(
        res.status,
        `HTTP_${res.status}`,
        `The gateway answered HTTP ${res.status} without an error description.`,
        { retry_after_s: retryAfterS },
      )
    );
  }
}
