import { UpstreamError } from '../../common/errors/app-error';

/*
 * Checks the typed clients share on OneAccess's answers: a 200 whose body lacks what its type
 * promises is UPSTREAM_BAD_RESPONSE, never a half-filled object passed on.
 */

export function isString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Seconds: Integer in most docs, String on some pages (`expire`, `expires_in`); both are read. */
export function toSeconds(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The detail goes to `cause` for the logs; the person sees only the generic message. */
export function badResponse(detail: string): UpstreamError {
  return new UpstreamError('UPSTREAM_BAD_RESPONSE', 'oneaccess', undefined, {
    cause: new Error(detail),
    upstreamStatus: 200,
  });
}
