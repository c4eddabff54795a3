import { OneAccessError } from '../errors/sim-errors';
import { optionalString, type JsonObject } from '../http/body';
import type { SeedProfile } from '../seed/seed.types';

const GENDERS = ['female', 'male', 'unknow'];

/**
 * The optional profile attributes of register and profile/update.
 * @throws OneAccessError PARAM_INVALID for a bad `attr_gender`, `attr_birthday` or `extension`.
 */
export function readProfile(body: JsonObject): SeedProfile {
  const profile: SeedProfile = {};
  const gender = optionalString(body, 'attr_gender');
  if (gender !== undefined) {
    if (!GENDERS.includes(gender)) throw new OneAccessError('PARAM_INVALID', ['attr_gender']);
    profile.attr_gender = gender as SeedProfile['attr_gender'];
  }
  const birthday = optionalString(body, 'attr_birthday');
  if (birthday !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(birthday))
      throw new OneAccessError('PARAM_INVALID', ['attr_birthday']);
    profile.attr_birthday = birthday;
  }
  for (const name of [
    'head_img',
    'attr_nick_name',
    'first_name',
    'middle_name',
    'last_name',
  ] as const) {
    const value = optionalString(body, name);
    if (value !== undefined) profile[name] = value;
  }
  if (body.extension !== undefined && body.extension !== null) {
    if (typeof body.extension !== 'object' || Array.isArray(body.extension))
      throw new OneAccessError('PARAM_INVALID', ['extension']);
    profile.extension = body.extension as Record<string, unknown>;
  }
  return profile;
}
