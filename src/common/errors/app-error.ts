import { Language, MessageId, messageText } from './messages';

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

export interface FieldError {
  field: string;
  message: string;
  /**
   * The rule that failed (class-validator's constraint name, or one of ours): chooses the Chinese
   * text (messages.ts FIELD_RULES_ZH). Not sent.
   */
  rule?: string;
}

export interface AppErrorOptions {
  /** OneAccess's `error_code`, shown to clients as `upstream_code`. */
  upstreamCode?: string;
  fields?: FieldError[];
  /** Seconds, sent as `Retry-After` (429, 503). */
  retryAfterS?: number;
  /** Values of the message's `{name}` placeholders. */
  params?: Readonly<Record<string, string>>;
  cause?: unknown;
}

/**
 * An error the contract names. Services throw it; the one exception filter turns it into
 * `{ code, message, request_id, ... }` with the code's HTTP status. The message is one of the
 * gateway's own (messages.ts), written in the language the request prefers; `message` (for logs)
 * is its English text.
 */
export class AppError extends Error {
  readonly status: number;
  readonly upstreamCode?: string;
  readonly fields?: FieldError[];
  readonly retryAfterS?: number;
  readonly messageId: MessageId;
  readonly params?: Readonly<Record<string, string>>;

  constructor(
    readonly code: ErrorCode,
    messageId?: MessageId,
    options: AppErrorOptions = {},
  ) {
    super(messageText(messageId ?? code, 'en', options.params), { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
    this.messageId = messageId ?? code;
    this.params = options.params;
    this.upstreamCode = options.upstreamCode;
    this.fields = options.fields;
    this.retryAfterS = options.retryAfterS;
  }

  /** The message for a person reading `language`. */
  messageIn(language: Language): string {
    return messageText(this.messageId, language, this.params);
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
 * `upstreamStatus` is the HTTP status it answered, when it answered. `upstreamMessage` is the
 * API's own text: OneAccess writes it in the language asked for through `X-L`, which follows the
 * same negotiation as the gateway's own messages, so it is sent as it came. Without one, the
 * message is `messageId`'s, else the code's (which speaks of the identity service, OneAccess).
 */
export class UpstreamError extends AppError {
  constructor(
    code: UpstreamErrorCode,
    readonly upstream: string,
    readonly upstreamMessage?: string,
    options: AppErrorOptions & { upstreamStatus?: number; messageId?: MessageId } = {},
  ) {
    super(code, options.messageId, options);
    this.name = 'UpstreamError';
    if (upstreamMessage !== undefined) this.message = upstreamMessage;
    this.upstreamStatus = options.upstreamStatus;
  }

  readonly upstreamStatus?: number;

  override messageIn(language: Language): string {
    return this.upstreamMessage ?? super.messageIn(language);
  }
}

/** The session store (Redis) did not answer: 503, and the caller deletes nothing because of it. */
export function storeUnavailable(cause: unknown): AppError {
  return new AppError('SESSION_STORE_UNAVAILABLE', undefined, { cause, retryAfterS: 1 });
}
