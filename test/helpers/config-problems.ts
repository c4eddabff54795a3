import { ConfigError } from '../../src/config/validate-env';

/** The problems a config loader refuses `env` with ([] when it accepts it). */
export function configProblems(
  load: (env: Record<string, string>) => unknown,
  env: Record<string, string>,
): string[] {
  try {
    load(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}
