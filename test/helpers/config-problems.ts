import { assertValidEnvironment } from '../../src/config/config';
import { ConfigError } from '../../src/config/validate-env';

/** What `assertValidEnvironment` finds wrong with `env`, one line per problem; none when valid. */
export function problems(env: Record<string, string>): string[] {
  try {
    assertValidEnvironment(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

/** A complete, sound production configuration. */
export const PRODUCTION_OK = {
  NODE_ENV: 'production',
  PUBLIC_ORIGIN: 'https://portal.example.com',
  REDIS_URL: 'redis://redis:6379',
  ONEACCESS_BASE_URL: 'https://abcdefg.huaweioneaccess.com',
  ONEACCESS_CLIENT_ID: 'DRrYIqauawN0I8myTMoDTPys6ezGZxnm',
  ONEACCESS_CLIENT_SECRET: 'k9S2m4Q7x1V8b3N6c5Z0a2L4j7H9g1F3',
  SESSION_SECRETS: 'wq8Lr2Vn5Xb7Kc1Mz9Pd3Tf6Hj0Ys4Ga',
  SESSION_ENCRYPTION_KEYS: Buffer.alloc(32, 9).toString('base64'),
};
