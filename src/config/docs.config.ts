import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { Env, isProduction, validateEnv } from './validate-env';

class DocsEnv {
  @IsOptional()
  @Matches(/^(true|false|1|0|yes|no)$/i, { message: 'must be true or false' })
  DOCS_ENABLED?: string;
}

/**
 * The OpenAPI document at `/openapi.json` and Swagger UI at `/docs` (docs/api.md section 7): on by
 * default in development, off by default in production, where an operator turns it on
 * deliberately (ideally behind OPS_PORT, so it never answers through the public proxy).
 */
export function loadDocsConfig(env: Env) {
  const v = validateEnv(DocsEnv, env);
  const enabled =
    v.DOCS_ENABLED === undefined ? !isProduction(env) : /^(true|1|yes)$/i.test(v.DOCS_ENABLED);
  return { enabled };
}

export const docsConfig = registerAs('docs', () => loadDocsConfig(process.env));
export type DocsConfig = ReturnType<typeof loadDocsConfig>;
