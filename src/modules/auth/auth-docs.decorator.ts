import { applyDecorators } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ErrorCode } from '../../common/errors/app-error';
import { ApiCsrfHeader } from '../../common/security/api-security.decorator';

// OpenAPI documentation of the /auth handlers. Errors that a rule's own decorator enforces
// (RequiresLogin, RequiresStep, RateLimit) are documented by that decorator; these add what the
// /auth pipeline itself answers (AuthModule's middleware, the session store, the filter).

/** What any OneAccess SDK call can end in (oneaccess-transport.ts, oneaccess-errors.ts). */
export const ONEACCESS_ERRORS: ErrorCode[] = [
  'UPSTREAM_REJECTED',
  'INVALID_CREDENTIALS',
  'UPSTREAM_BAD_RESPONSE',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
];

/** A login-type call adds OneAccess's refusals of the account (LoginService.attempt). */
export const LOGIN_ERRORS: ErrorCode[] = [...ONEACCESS_ERRORS, 'ACCESS_DENIED', 'ACCOUNT_LOCKED'];

/** Every /auth request reads the session store; anything unforeseen is a generic 500. */
const EVERY_REQUEST: ErrorCode[] = ['SESSION_STORE_UNAVAILABLE', 'INTERNAL'];

/**
 * Unsafe methods pass CsrfMiddleware, then JsonBodyMiddleware: malformed JSON (or a body failing
 * validation) is 400, an oversized one 413, a non-JSON one 415.
 */
const UNSAFE_REQUEST: ErrorCode[] = [
  'VALIDATION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
];

/** A GET (or other safe) /auth handler: summary plus the errors its own work can cause. */
export const AuthRead = (summary: string, ...errors: ErrorCode[]) =>
  applyDecorators(ApiOperation({ summary }), ApiErrors(...EVERY_REQUEST, ...errors));

/** A POST/PATCH/DELETE /auth handler: also the X-CSRF header and the body rules. */
export const AuthWrite = (summary: string, ...errors: ErrorCode[]) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiCsrfHeader(),
    ApiErrors(...EVERY_REQUEST, ...UNSAFE_REQUEST, ...errors),
  );
