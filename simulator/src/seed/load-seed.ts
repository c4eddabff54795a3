import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedData } from './seed.types';

/**
 * The seed shipped with the package. `__dirname` is `src/seed` in tests and `dist/seed` once
 * built; both are two levels below the package root, where `seed/` lives.
 */
export const DEFAULT_SEED_PATH = join(__dirname, '..', '..', 'seed', 'default-seed.json');

const USER_ID = /^\d{17}-[0-9A-F]{4}-[0-9A-F]{9}$/;
const MOBILE = /^\d{11}$/;

/**
 * Loads and checks seed data.
 * @param seed - a seed object, a JSON file path, or undefined for the default seed.
 * @throws Error listing every problem (duplicate ids, names or mobiles, dangling bindings...).
 */
export function loadSeed(seed: SeedData | string | undefined): SeedData {
  const data: SeedData =
    typeof seed === 'object'
      ? seed
      : (JSON.parse(readFileSync(seed ?? DEFAULT_SEED_PATH, 'utf8')) as SeedData);
  const problems = validateSeed(data);
  if (problems.length > 0) throw new Error(`Invalid simulator seed: ${problems.join('; ')}`);
  // A deep copy: the simulator mutates users (password changes) and reset must start clean.
  return structuredClone(data);
}

function validateSeed(data: SeedData): string[] {
  const problems: string[] = [];
  if (!Array.isArray(data?.users)) return ['users must be an array'];
  const seen = { id: new Set<string>(), user_name: new Set<string>(), mobile: new Set<string>() };
  for (const user of data.users) {
    const label = user.user_name ?? JSON.stringify(user);
    if (!USER_ID.test(user.id ?? ''))
      problems.push(`${label}: id must look like 20210621095935811-5E16-6B3060ABC`);
    if (!MOBILE.test(user.mobile ?? '')) problems.push(`${label}: mobile must be 11 digits`);
    if (!user.user_name || !user.password || !user.name)
      problems.push(`${label}: user_name, name and password are required`);
    for (const key of ['id', 'user_name', 'mobile'] as const) {
      if (seen[key].has(user[key])) problems.push(`${label}: duplicate ${key}`);
      seen[key].add(user[key]);
    }
  }
  const codes = new Set<string>();
  for (const social of data.social ?? []) {
    if (social.provider !== 'weixin' && social.provider !== 'alipay') {
      problems.push(`social code ${social.code}: provider must be weixin or alipay`);
    }
    if (!social.code || !social.social_uid)
      problems.push('social entries need code and social_uid');
    const key = `${social.provider}:${social.code}`;
    if (codes.has(key)) problems.push(`duplicate social code ${key}`);
    codes.add(key);
    if (social.bound_to !== undefined && !seen.user_name.has(social.bound_to)) {
      problems.push(`social code ${social.code}: bound_to ${social.bound_to} is not a seed user`);
    }
  }
  return problems;
}
