import { OneAccessError } from '../errors/sim-errors';
import type { RequestContext } from './request-context';

export type JsonObject = Record<string, unknown>;

/**
 * The JSON body of an SDK, SSO or tenant call. Any `application/json*` content type is accepted
 * (Huawei's examples send `application/json;charset=utf8`); an empty body reads as `{}` so the
 * missing fields are reported one by one.
 * @throws OneAccessError PARAM_INVALID for another content type or a body that is not a JSON object.
 */
export function readJson(ctx: RequestContext): JsonObject {
  if (ctx.body.length === 0) return {};
  if (!/^application\/json/i.test(ctx.header('content-type') ?? '')) {
    throw new OneAccessError('PARAM_INVALID', ['Content-Type']);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.body.toString('utf8'));
  } catch {
    throw new OneAccessError('PARAM_INVALID', ['body']);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OneAccessError('PARAM_INVALID', ['body']);
  }
  return parsed as JsonObject;
}

/** A form body (`application/x-www-form-urlencoded`); anything else reads as empty. */
export function readForm(ctx: RequestContext): URLSearchParams {
  const type = ctx.header('content-type') ?? '';
  return /^application\/x-www-form-urlencoded/i.test(type)
    ? new URLSearchParams(ctx.body.toString('utf8'))
    : new URLSearchParams();
}

/**
 * A mandatory string field.
 * @throws OneAccessError PARAM_REQUIRED when absent or empty, PARAM_INVALID when not a string.
 */
export function requireString(body: JsonObject, name: string): string {
  const value = body[name];
  if (value === undefined || value === null || value === '')
    throw new OneAccessError('PARAM_REQUIRED', [name]);
  if (typeof value !== 'string') throw new OneAccessError('PARAM_INVALID', [name]);
  return value;
}

/** An optional string field; undefined when absent or empty. */
export function optionalString(body: JsonObject, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new OneAccessError('PARAM_INVALID', [name]);
  return value;
}

/** @throws OneAccessError PARAM_INVALID unless `mobile` is 11 digits (§5.6). */
export function assertMobile(mobile: string): void {
  if (!/^\d{11}$/.test(mobile)) throw new OneAccessError('PARAM_INVALID', ['mobile']);
}
