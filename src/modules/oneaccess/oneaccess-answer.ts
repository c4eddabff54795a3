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

/**
 * A lifetime in seconds (`expire`, `expires_in`): an Integer in most docs and every example, a
 * String on some pages (section 10, open question 21), so both are read. Absent is `undefined`;
 * anything else that is not a non-negative decimal number is a broken answer, never NaN passed on.
 * @throws UpstreamError UPSTREAM_BAD_RESPONSE naming `field`.
 */
export function toSeconds(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return n;
  throw badResponse(`${field} is not a number of seconds`);
}

/** The detail goes to `cause` for the logs; the person sees only the generic message. */
export function badResponse(detail: string): UpstreamError {
  return new UpstreamError('UPSTREAM_BAD_RESPONSE', 'oneaccess', undefined, {
    cause: new Error(detail),
    upstreamStatus: 200,
  });
}
