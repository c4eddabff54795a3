// class-validator decorators need the metadata API; this file loads no Nest package that brings it.
import 'reflect-metadata';
import { IsOptional, Matches } from 'class-validator';
import { Env, validateEnv } from './validate-env';

class DoctorEnv {
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an absolute http(s) URL' })
  OAUTH_JWKS_URL?: string;
}

/**
 * The environment `npm run doctor` checks: this process's own. Read here because only
 * `src/config/` reads `process.env`; the checks get it as a parameter.
 */
export function doctorEnvironment(): Env {
  return process.env;
}

/**
 * What only the doctor reads beyond the gateway's namespaces: where the id_token keys are, when
 * the operator names them instead of the discovery document.
 * @throws ConfigError
 */
export function loadDoctorConfig(env: Env) {
  const v = validateEnv(DoctorEnv, env);
  return { jwksUrl: v.OAUTH_JWKS_URL };
}

const SECRET_VARIABLES = [
  'ONEACCESS_CLIENT_SECRET',
  'SESSION_SECRETS',
  'SESSION_ENCRYPTION_KEYS',
  'ADMIN_TOKEN',
] as const;

/**
 * Every secret value of `env`, raw (so also when the configuration is invalid): the variables
 * above, each item of their comma-separated lists, and passwords inside Redis URLs. The doctor
 * masks them in whatever it prints.
 */
export function secretValuesOf(env: Env): string[] {
  const values: string[] = [];
  for (const name of SECRET_VARIABLES) {
    const raw = env[name];
    if (!raw) continue;
    values.push(raw, ...raw.split(',').map((s) => s.trim()));
  }
  for (const name of ['REDIS_URL'] as const) {
    const password = /^[a-z]+:\/\/[^/@]*?:([^/@]+)@/i.exec(env[name] ?? '')?.[1];
    if (password) values.push(password, decodeURIComponentSafe(password));
  }
  // Longest first, so a list is masked whole before its items; very short values would mask noise.
  return [...new Set(values)].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
