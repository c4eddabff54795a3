import { HttpException } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { AppError, ErrorCode, FieldError } from './app-error';
import { negotiateLanguage } from './language';
import { FIELD_INVALID_ZH, FIELD_RULES_ZH, Language } from './messages';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  request_id: string;
  errors?: Array<Omit<FieldError, 'rule'>>;
  upstream_code?: string;
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  retryAfterS?: number;
  /** The language of `body.message`, sent as `Content-Language`. */
  language: Language;
  /** Unexpected errors are logged with their stack; expected ones are not noise. */
  unexpected: boolean;
}

/** Framework and body-parser failures that are the client's doing, by HTTP status. */
const HTTP_STATUS_CODE: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'CSRF_REJECTED',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/**
 * The single mapping from anything thrown to the contract's error response (docs/api.md section 6),
 * with the message in the language the request's `Accept-Language` prefers (language.ts). Every
 * path that answers an error calls it: the global exception filter, the middlewares that answer
 * before Nest's pipeline (session store, body parsing), the front door, the relay and the session
 * view, so all speak the same shape and language.
 */
export function toErrorResponse(
  err: unknown,
  requestId: string,
  acceptLanguage?: string,
): ErrorResponse {
  return respond(toAppError(err), requestId, negotiateLanguage(acceptLanguage));
}

function respond(err: AppError, requestId: string, language: Language): ErrorResponse {
  const body: ErrorBody = {
    code: err.code,
    message: err.messageIn(language),
    request_id: requestId,
  };
  if (err.fields) body.errors = err.fields.map((f) => fieldError(f, language));
  if (err.upstreamCode) body.upstream_code = err.upstreamCode;
  return {
    status: err.status,
    body,
    retryAfterS: err.retryAfterS,
    language,
    unexpected: err.code === 'INTERNAL',
  };
}

/** One entry of `errors` as sent: the validator's English text, or the rule's Chinese one. */
function fieldError({ field, message, rule }: FieldError, language: Language) {
  if (language === 'en') return { field, message };
  const text = (rule !== undefined ? FIELD_RULES_ZH[rule] : undefined) ?? FIELD_INVALID_ZH;
  return { field, message: text.replace('{field}', field) };
}

/** What the contract calls anything thrown. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HttpException) {
    const code = HTTP_STATUS_CODE[err.getStatus()];
    // Nest's own messages (e.g. "Cannot GET /x") are safe but name internals; use ours. Each
    // code's status is the framework's status (the table maps them one to one).
    if (code) return new AppError(code);
  }
  const status = (err as { status?: unknown })?.status;
  const type = (err as { type?: unknown })?.type;
  // body-parser errors carry `type` and `status`; map them without echoing their text.
  if (typeof type === 'string' && typeof status === 'number') {
    if (type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE');
    if (type === 'entity.parse.failed') return new AppError('VALIDATION_FAILED', 'BODY_NOT_JSON');
    if (type === 'charset.unsupported' || type === 'encoding.unsupported')
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    if (status >= 400 && status < 500) return new AppError('VALIDATION_FAILED');
  }
  return new AppError('INTERNAL');
}

/** Writes an error response on a raw Node response (outside Nest's response handling). */
export function writeErrorResponse(res: ServerResponse, response: ErrorResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = response.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Language', response.language);
  addVary(res, 'Accept-Language');
  if (response.retryAfterS !== undefined)
    res.setHeader('Retry-After', String(Math.ceil(response.retryAfterS)));
  res.end(JSON.stringify(response.body));
}

/** Adds a name to the response's `Vary` (a relay answer may have set it already). */
function addVary(res: ServerResponse, name: string): void {
  const current = res.getHeader('Vary');
  if (current === undefined) res.setHeader('Vary', name);
  else if (!String(current).toLowerCase().includes(name.toLowerCase()))
    res.setHeader('Vary', `${String(current)}, ${name}`);
}
