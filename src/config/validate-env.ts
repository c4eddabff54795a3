import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { quotedValue, withoutCredentials } from './secrets';

/**
 * Thrown when the environment is invalid; its message names every bad variable, and quotes a
 * value only when it is not a secret (secrets.ts).
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

/** Empty strings count as unset: `FOO=` in a compose file should mean "default", not "invalid". */
function withoutEmpty(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map(
      (m) => `${e.property}: ${m}${quotedValue(e.property, e.value)}`,
    ),
  );
}

/**
 * Validates the variables one config namespace declares in `cls` and returns them typed.
 * @throws ConfigError listing every failing variable.
 */
export function validateEnv<T extends object>(cls: new () => T, env: Env): T {
  const instance = plainToInstance(cls, withoutEmpty(env), { enableImplicitConversion: true });
  const problems = describe(
    validateSync(instance, { whitelist: false, forbidUnknownValues: false }),
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return instance;
}

/** Collects problems from several checks so a start-up failure names every bad variable at once. */
export function collectProblems(checks: Array<() => unknown>): string[] {
  const problems: string[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else throw err;
    }
  }
  return problems;
}

export function isProduction(env: Env): boolean {
  return env.NODE_ENV === 'production';
}

/** Secrets that are obviously examples must never reach production. */
export function looksLikePlaceholder(secret: string): boolean {
  return /change[-_ ]?me|placeholder|example|dev[-_]only|insecure|^secret$|^password$|^x+$/i.test(
    secret,
  );
}

/**
 * Parses a boolean variable by hand: class-transformer's implicit conversion turns "false" into true.
 * Appends a problem and returns the default when the value is not a boolean word.
 */
export function parseBoolean(
  name: string,
  raw: string | undefined,
  fallback: boolean,
  problems: string[],
): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (/^(true|1|yes)$/i.test(raw)) return true;
  if (/^(false|0|no)$/i.test(raw)) return false;
  problems.push(`${name}: must be true or false${quotedValue(name, raw)}`);
  return fallback;
}

/**
 * Parses a JSON variable. When it does not parse, the problem names the variable and where it
 * breaks (line, column, and the text around it), so a long one-line value is fixable from the log.
 */
export function parseJson(name: string, raw: string, problems: string[]): unknown {
  try {
    return JSON.parse(raw);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    // V8 says "... at position N"; "Unexpected end of JSON input" means at the very end.
    const at = /at position (\d+)/.exec(reason);
    const position = at ? Number(at[1]) : raw.length;
    const before = raw.slice(0, position).split('\n');
    const line = before.length;
    const column = before[before.length - 1].length + 1;
    const near = withoutCredentials(
      raw.slice(Math.max(0, position - 15), position + 15).replace(/\s+/g, ' '),
    );
    const what = reason
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/^.*JSON input$/, 'unexpected end');
    problems.push(
      `${name}: not valid JSON at position ${position} (line ${line}, column ${column}): ${what}, near ${JSON.stringify(near)}`,
    );
    return undefined;
  }
}
