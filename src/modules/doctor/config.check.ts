import { assertValidEnvironment } from '../../config/config';
import { loadDoctorConfig } from '../../config/doctor.config';
import { loadOneAccessConfig } from '../../config/oneaccess.config';
import { loadRedisConfig } from '../../config/redis.config';
import { loadSessionConfig } from '../../config/session.config';
import { collectProblems, ConfigError, Env, isProduction } from '../../config/validate-env';
import { CheckResult, fail, ok, warn } from './doctor.types';

const NAME = 'config';

/**
 * The gateway's own start-up validation (every namespace at once), plus the doctor's variables.
 * Development fallbacks (no Redis, no OneAccess, development secrets) are warnings: fine on a
 * laptop, and refused anyway once NODE_ENV=production.
 */
export function checkConfig(env: Env): CheckResult {
  const problems = collectProblems([
    () => assertValidEnvironment(env),
    () => loadDoctorConfig(env),
  ]);
  if (problems.length > 0) {
    return fail(NAME, `invalid, fix these variables: ${problems.join('; ')}`);
  }
  if (isProduction(env)) return ok(NAME, 'valid for production (NODE_ENV=production)');
  const fallbacks: string[] = [];
  if (!loadOneAccessConfig(env).baseUrl)
    fallbacks.push('embedded simulator (ONEACCESS_BASE_URL unset)');
  if (loadRedisConfig(env).mode === 'none')
    fallbacks.push('in-process session store (REDIS_URL unset)');
  if (loadSessionConfig(env).usingDevSecrets)
    fallbacks.push('development secrets (SESSION_SECRETS / SESSION_ENCRYPTION_KEYS unset)');
  return fallbacks.length > 0
    ? warn(
        NAME,
        `valid for development only: ${fallbacks.join(', ')}; set NODE_ENV=production to check as production`,
      )
    : ok(NAME, 'valid (NODE_ENV is not production: development fallbacks would be allowed)');
}

/** Runs a namespace loader for a check that needs it; a config problem is already reported above. */
export function loadFor<T>(load: () => T): T | undefined {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) return undefined;
    throw err;
  }
}
