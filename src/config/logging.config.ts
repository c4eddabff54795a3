import { registerAs } from '@nestjs/config';
import { createHmac } from 'node:crypto';
import { IsIn, IsOptional, IsString, MinLength } from 'class-validator';
import { ConfigError, Env, isProduction, looksLikePlaceholder, validateEnv } from './validate-env';

class LoggingEnv {
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must have at least 32 characters' })
  LOG_HASH_KEY?: string;
  @IsOptional() @IsIn(['json', 'text']) LOG_FORMAT?: string;
}

/**
 * How the lines written before the logger exists (a refused configuration, a busy port) look:
 * `json` (one line shaped like every other log line) or `text` (for a terminal). Production
 * defaults to json, development to text. Read from the raw environment, without validation: it
 * must work while the configuration is being refused (an invalid value falls back to the default).
 */
export function startupLogFormat(env: Env = process.env): 'json' | 'text' {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'text') return env.LOG_FORMAT;
  return isProduction(env) ? 'json' : 'text';
}

/** Used only when neither LOG_HASH_KEY nor a client secret is set (development, simulator). */
const DEV_LOG_HASH_SEED = 'dev-only-log-pseudonyms';

/**
 * The key of the pseudonyms in audit lines (user ids, attempted account names, client
 * addresses). It must outlive SESSION_SECRETS rotations, or one user's events before and after a
 * rotation would no longer correlate. LOG_HASH_KEY sets it; unset, it is derived once from
 * ONEACCESS_CLIENT_SECRET, which is tied to the OneAccess application and rarely rotated (the
 * start line then says so). Besides log pseudonyms, only the rate-limit counters' key names are
 * hashed with a key derived from it (under their own label), for the same reason: an account stop
 * must outlive a rotation.
 */
export function loadLoggingConfig(env: Env) {
  const v = validateEnv(LoggingEnv, env);
  if (v.LOG_HASH_KEY && isProduction(env) && looksLikePlaceholder(v.LOG_HASH_KEY)) {
    throw new ConfigError(['LOG_HASH_KEY: a placeholder key is refused in production']);
  }
  const seed = v.LOG_HASH_KEY ?? env.ONEACCESS_CLIENT_SECRET ?? DEV_LOG_HASH_SEED;
  return {
    hashKey: createHmac('sha256', seed).update('bff-log-pseudonyms').digest(),
    hashKeySource: v.LOG_HASH_KEY
      ? 'LOG_HASH_KEY'
      : env.ONEACCESS_CLIENT_SECRET
        ? 'ONEACCESS_CLIENT_SECRET'
        : 'development default',
  };
}

export const loggingConfig = registerAs('logging', () => loadLoggingConfig(process.env));
export type LoggingConfig = ReturnType<typeof loadLoggingConfig>;
