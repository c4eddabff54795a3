import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiErrors } from '../errors/api-errors.decorator';

// How the gateway's credentials and CSRF rule appear in the OpenAPI document: the names of the
// security schemes (declared in modules/docs, used by the handlers' decorators) and the header.

/** The session cookie (COOKIE_NAME): RequiresLogin / RequiresStep handlers and the relay. */
export const SESSION_COOKIE_SCHEME = 'session';

/** `Authorization: Bearer <ADMIN_TOKEN>` on /admin. */
export const ADMIN_BEARER_SCHEME = 'admin';

/** The header CsrfMiddleware (and the relay) require on unsafe methods, as an OpenAPI parameter. */
export const CSRF_HEADER = {
  name: 'X-CSRF',
  required: true,
  description:
    'Must be `1` on every POST, PUT, PATCH and DELETE under /auth and /api (docs/api.md section 2). ' +
    'Cross-site `Sec-Fetch-Site` or a foreign `Origin` are refused the same way: 403 CSRF_REJECTED.',
  schema: { type: 'string' as const, enum: ['1'], default: '1' },
};

/** Documents the CSRF header requirement and its 403 on an unsafe handler. */
export const ApiCsrfHeader = () =>
  applyDecorators(ApiHeader(CSRF_HEADER), ApiErrors('CSRF_REJECTED'));
