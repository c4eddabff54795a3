import type { ResolvedOptions } from '../config/options';
import type { Reply } from './reply';
import type { RouteFamily } from './router';

/**
 * Bamboo EIAM's codes (docs/oneaccess.md §9.3, §12) for the Huawei codes they stand for. OneAccess
 * shares Bamboo's design, and one instance of the same API family answered these.
 */
const EIAM_CODES: Record<string, string> = {
  'LOGIN.0002': 'SDK.LOGIN.1005', // wrong password
  'LOGIN.0001': 'SDK.LOGIN.1003', // locked after failed logins
  'PARAM.0001': 'SDK.COMMON.1003', // device information is incomplete
};

/** Top-level fields that carry a lifetime in seconds (`expire` on SDK/SSO, `expires_in` on tokens). */
const LIFETIME_FIELDS = ['expire', 'expires_in'] as const;

/**
 * Rewrites a JSON answer into one of the documented (or seen) variants the options select:
 * lifetimes as strings, the other error body shape, Bamboo's error codes. Representation only:
 * the route handlers never know. Answers untouched when every option is at its default.
 */
export function applyWireVariants(
  reply: Reply,
  family: RouteFamily,
  config: ResolvedOptions,
): Reply {
  if (family === 'control' || family === 'browser' || typeof reply.body !== 'string') return reply;
  if (
    config.lifetimeFormat === 'number' &&
    config.errorShape === 'documented' &&
    config.errorCodes === 'huawei'
  ) {
    return reply;
  }
  let body: unknown;
  try {
    body = JSON.parse(reply.body);
  } catch {
    return reply;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return reply;
  const record = body as Record<string, unknown>;
  const out = reply.status < 400 ? lifetimes(record, config) : errorBody(record, config);
  return { ...reply, body: JSON.stringify(out) };
}

function lifetimes(body: object, config: ResolvedOptions): object {
  if (config.lifetimeFormat === 'number') return body;
  const out: Record<string, unknown> = { ...body };
  for (const field of LIFETIME_FIELDS) {
    const value = out[field];
    if (typeof value !== 'number') continue;
    out[field] = config.lifetimeFormat === 'string' ? String(value) : `${value} seconds`;
  }
  return out;
}

function errorBody(body: Record<string, unknown>, config: ResolvedOptions): object {
  let code = body.error_code ?? body.error;
  const message = body.error_msg ?? body.error_description;
  const sdkShape = 'error_code' in body;
  if (typeof code !== 'string') return body;
  if (config.errorCodes === 'eiam') code = EIAM_CODES[code] ?? code;
  const asSdk = config.errorShape === 'documented' ? sdkShape : !sdkShape;
  return asSdk
    ? { error_code: code, error_msg: message }
    : { error: code, error_description: message };
}
