import type { Env } from './validate-env';

/**
 * The variables whose values are secrets. A configuration problem names them and what is wrong,
 * never their value, and the doctor masks their values in whatever it prints: this one list is the
 * rule, so a new secret variable needs no care in each message, only a line here.
 */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'ADMIN_TOKEN',
  'SESSION_SECRETS',
  'SESSION_ENCRYPTION_KEYS',
  'LOG_HASH_KEY',
  'ONEACCESS_CLIENT_SECRET',
  // An OTLP receiver's headers carry its API key more often than not.
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
]);

/** Secrets the gateway's operator generates, so production can demand that they be random. */
const GENERATED_SECRETS = ['SESSION_SECRETS', 'ADMIN_TOKEN', 'LOG_HASH_KEY'] as const;

/** Below this estimate (see {@link weakness}) a secret is refused in production. */
export const MIN_SECRET_BITS = 80;
/** ...and below this many distinct characters (bytes for a key). */
export const MIN_DISTINCT_UNITS = 8;

/**
 * A URL (or a mistyped one) without its credentials: everything before the last `@` is masked,
 * the scheme kept. A REDIS_URL carries its password there.
 */
export function withoutCredentials(text: string): string {
  if (!text.includes('@')) return text;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  return `${scheme}***${text.slice(text.lastIndexOf('@'))}`;
}

/** How a problem may quote a variable's value: never for a secret, credentials cut from the rest. */
export function quotedValue(name: string, value: unknown): string {
  if (SECRET_VARIABLES.has(name)) return '';
  const text = typeof value === 'string' ? withoutCredentials(value) : value;
  return ` (got ${JSON.stringify(text)})`;
}

function items(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Why key material is guessable, or undefined: `text` is a secret, or a key's bytes as latin1
 * (one character per byte). Two rules: a repetition of a shorter unit ("aaaa...", "abcabc...",
 * an all-zero key) is refused whatever its length; otherwise the estimate, length x the Shannon
 * entropy of the value's own character frequencies, must reach MIN_SECRET_BITS with at least
 * MIN_DISTINCT_UNITS distinct units. `openssl rand -base64 32` gives about 200 bits, 32 random
 * hex characters about 115 (in a million draws never under 85: the bound is set so that no
 * random secret of the minimum length is refused), 40 x "a" gives 0. It catches only what is
 * obviously not random: a long passphrase of words passes it.
 */
export function weakness(text: string, unit = 'character'): string | undefined {
  // A string is a repetition of a shorter unit exactly when it occurs inside itself doubled.
  if (text.length > 1 && (text + text).indexOf(text, 1) < text.length)
    return new Set(text).size === 1 ? `is one ${unit} repeated` : 'is a repeated pattern';
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  const length = [...counts.values()].reduce((a, b) => a + b, 0);
  let bits = 0;
  for (const n of counts.values()) bits -= n * Math.log2(n / length);
  if (counts.size < MIN_DISTINCT_UNITS || bits < MIN_SECRET_BITS)
    return `has too little entropy (under ${MIN_SECRET_BITS} bits estimated)`;
  return undefined;
}

/**
 * Production's refusal of guessable key material and of one secret reused for another purpose
 * (ADMIN_TOKEN equal to a session secret would let whoever reads one forge the other). Each
 * problem names the variable, never the value.
 */
export function weakSecrets(env: Env): string[] {
  const problems: string[] = [];
  for (const name of GENERATED_SECRETS) {
    for (const value of items(env[name])) {
      const why = weakness(value);
      if (why) problems.push(`${name}: a secret ${why}; generate one (openssl rand -base64 32)`);
    }
  }
  for (const text of items(env.SESSION_ENCRYPTION_KEYS)) {
    const key = Buffer.from(text, 'base64');
    // A malformed key is refused by the session config; only well-formed keys are judged here.
    const why = key.length === 32 ? weakness(key.toString('latin1'), 'byte') : undefined;
    if (why)
      problems.push(
        `SESSION_ENCRYPTION_KEYS: a key ${why}; generate one (openssl rand -base64 32)`,
      );
  }
  const owner = new Map<string, string>();
  for (const name of SECRET_VARIABLES) {
    for (const value of new Set(items(env[name]))) {
      const other = owner.get(value);
      if (other && other !== name)
        problems.push(`${name}: equal to a value of ${other}; every secret must be its own`);
      else owner.set(value, name);
    }
  }
  return problems;
}

/**
 * Every secret value of `env`, raw (so also when the configuration is invalid): the variables
 * above, each item of their comma-separated lists, and the credentials of a REDIS_URL. The doctor
 * masks them in whatever it prints. Longest first, so a list is masked whole before its items;
 * very short values would mask noise.
 */
export function secretValuesOf(env: Env): string[] {
  const values: string[] = [];
  for (const name of SECRET_VARIABLES) {
    const raw = env[name];
    if (raw) values.push(raw, ...items(raw));
  }
  const url = env.REDIS_URL ?? '';
  if (url.includes('@')) {
    const credentials = url.slice(0, url.lastIndexOf('@')).replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
    // After the first colon (user:password), and after the last (a mistyped scheme before it).
    for (const password of [credentials.indexOf(':'), credentials.lastIndexOf(':')].map((i) =>
      credentials.slice(i + 1),
    ))
      values.push(credentials, password, decodeURIComponentSafe(password));
  }
  return [...new Set(values)].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
