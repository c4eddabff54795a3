import { HttpException } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { AppError, ErrorCode, FieldError } from './app-error';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  request_id: string;
  errors?: FieldError[];
  upstream_code?: string;
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  retryAfterS?: number;
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
 * The single mapping from anything thrown to the contract's error response (docs/api.md section 6).
 * Used by the global exception filter and by the few middlewares that answer before Nest's
 * pipeline (session store, body parsing), so both speak the same shape.
 */
export function toErrorResponse(err: unknown, requestId: string): ErrorResponse {
  if (err instanceof AppError) {
    const body: ErrorBody = { code: err.code, message: err.message, request_id: requestId };
    if (err.fields) body.errors = err.fields;
    if (err.upstreamCode) body.upstream_code = err.upstreamCode;
    return {
      status: err.status,
      body,
      retryAfterS: err.retryAfterS,
      unexpected: err.code === 'INTERNAL',
    };
  }
  if (err instanceof HttpException) {
    const code = HTTP_STATUS_CODE[err.getStatus()];
    if (code) {
      // Nest's own messages (e.g. "Cannot GET /x") are safe but name internals; use ours.
      const app = new AppError(code);
      return { ...toErrorResponse(app, requestId), status: err.getStatus() };
    }
  }
  const status = (err as { status?: unknown })?.status;
  const type = (err as { type?: unknown })?.type;
  // body-parser errors carry `type` and `status`; map them without echoing their text.
  if (typeof type === 'string' && typeof status === 'number') {
    if (type === 'entity.too.large')
      return toErrorResponse(new AppError('PAYLOAD_TOO_LARGE'), requestId);
    if (type === 'entity.parse.failed') {
      return toErrorResponse(
        new AppError('VALIDATION_FAILED', 'The request body is not valid JSON.'),
        requestId,
      );
    }
    if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
      return toErrorResponse(new AppError('UNSUPPORTED_MEDIA_TYPE'), requestId);
    }
    if (status >= 400 && status < 500)
      return toErrorResponse(new AppError('VALIDATION_FAILED'), requestId);
  }
  return { ...toErrorResponse(new AppError('INTERNAL'), requestId), unexpected: true };
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
  if (response.retryAfterS !== undefined)
    res.setHeader('Retry-After', String(Math.ceil(response.retryAfterS)));
  res.end(JSON.stringify(response.body));
}
