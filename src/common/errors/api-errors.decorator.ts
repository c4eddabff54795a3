import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiResponse,
  ExampleObject,
  getSchemaPath,
  ResponseObject,
} from '@nestjs/swagger';
import { AppError, ERROR_STATUS, ErrorCode } from './app-error';
import { ErrorBodySchema } from './error-body.schema';

const EXAMPLE_REQUEST_ID = '0b6f1c52-3f43-4a8e-9b1e-2f0d6c9d8e71';

const RETRY_AFTER = {
  description:
    'Seconds to wait before trying again; absent at the account-wide password stop of ' +
    'POST /auth/login/password, which waiting does not lift (docs/api.md section 6.1).',
  schema: { type: 'integer' as const },
};

interface StatusGroup {
  status: number;
  description: string;
  examples: Record<string, ExampleObject>;
  headers?: ResponseObject['headers'];
}

/** Codes grouped by the HTTP status ERROR_STATUS (the exception filter's table) gives them. */
function byStatus(codes: ErrorCode[]): StatusGroup[] {
  const groups = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_STATUS[code];
    groups.set(status, [...(groups.get(status) ?? []), code]);
  }
  return [...groups].map(([status, list]) => ({
    status,
    description: list.map((code) => `\`${code}\``).join(', '),
    examples: Object.fromEntries(
      list.map((code) => [
        code,
        {
          summary: code,
          value: { code, message: new AppError(code).message, request_id: EXAMPLE_REQUEST_ID },
        },
      ]),
    ),
    // The codes thrown with AppError.retryAfterS, which the filter sends as Retry-After.
    ...(list.includes('RATE_LIMITED') || list.includes('SESSION_STORE_UNAVAILABLE')
      ? { headers: { 'Retry-After': RETRY_AFTER } }
      : {}),
  }));
}

/**
 * Documents error answers of a handler in its OpenAPI operation: one response per HTTP status,
 * with the contract's error body, the codes it may carry and an example of each. Several uses on
 * one handler add up (Nest's ApiResponse merges descriptions and examples of one status), so the
 * decorators that enforce a rule (RequiresLogin, RateLimit, ...) document their own errors.
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorBodySchema),
    ...byStatus(codes).map((group) => ApiResponse({ ...group, type: ErrorBodySchema })),
  );
}

/** The same responses as raw OpenAPI objects, for operations written by hand (the relay). */
export function errorResponses(codes: ErrorCode[]): Record<string, ResponseObject> {
  return Object.fromEntries(
    byStatus(codes).map(({ status, description, examples, headers }) => [
      String(status),
      {
        description,
        ...(headers ? { headers } : {}),
        content: {
          'application/json': { schema: { $ref: getSchemaPath(ErrorBodySchema) }, examples },
        },
      },
    ]),
  );
}
