import { registerAs } from '@nestjs/config';
import { weakSecrets } from './secrets';
import { ConfigError, Env, isProduction, parseBoolean } from './validate-env';

/** More proxy hops than this in front of the gateway is a mistake, not a topology. */
export const MAX_TRUSTED_HOPS = 5;

const DEFAULT_PUBLIC_ORIGIN = 'http://localhost:3000';

/**
 * Settings production refuses because they weaken the gateway (docs/security.md 39-41): plain-http
 * origins (the cookie is Secure, HSTS is sent), a session cookie without Secure, and a
 * TRUST_PROXY that would let clients forge their address; and guessable or reused key material.
 */
function weakSettings(env: Env): string[] {
  const weak: string[] = [];
  if (!/^https:/i.test(env.PUBLIC_ORIGIN || DEFAULT_PUBLIC_ORIGIN))
    weak.push('PUBLIC_ORIGIN: must be https:// in production');
  if (env.ONEACCESS_BASE_URL && !/^https:/i.test(env.ONEACCESS_BASE_URL))
    weak.push('ONEACCESS_BASE_URL: must be https:// in production');
  if (/^(false|0|no)$/i.test(env.COOKIE_SECURE ?? ''))
    weak.push('COOKIE_SECURE: false sends the session cookie over plain http');
  const trust = env.TRUST_PROXY ?? '';
  if (/^\d+$/.test(trust) && Number(trust) > MAX_TRUSTED_HOPS)
    weak.push(
      `TRUST_PROXY: more than ${MAX_TRUSTED_HOPS} trusted hops lets clients forge their address`,
    );
  weak.push(...weakSecrets(env));
  return weak;
}

/**
 * Production's refusal of weak settings, and its override: `ALLOW_INSECURE=true` starts anyway
 * (a staging stand without TLS), and the start-up log then names each overridden setting.
 * @throws ConfigError naming every weak variable (production, without the override).
 */
export function loadSecurityConfig(env: Env) {
  const problems: string[] = [];
  const allowInsecure = parseBoolean('ALLOW_INSECURE', env.ALLOW_INSECURE, false, problems);
  const weak = isProduction(env) ? weakSettings(env) : [];
  if (!allowInsecure)
    problems.push(...weak.map((w) => `${w} (ALLOW_INSECURE=true overrides, not for real traffic)`));
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    /** What ALLOW_INSECURE let through; logged as a warning at start. */
    overridden: allowInsecure ? weak : [],
  };
}

export const securityConfig = registerAs('security', () => loadSecurityConfig(process.env));
