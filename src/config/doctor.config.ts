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
