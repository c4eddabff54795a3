import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { Env, validateEnv } from './validate-env';

class DocsEnv {
  @IsOptional()
  @Matches(/^(true|false|1|0|yes|no)$/i, { message: 'must be true or false' })
  DOCS_ENABLED?: string;
}

/**
 * The OpenAPI document at `/openapi.json` and Swagger UI at `/docs` (bff-api.md section 7): on
 * in every mode, production included, unless `DOCS_ENABLED=false`. The document describes only
 * the public contract, which the SPA's own code reveals anyway.
 */
export function loadDocsConfig(env: Env) {
  const v = validateEnv(DocsEnv, env);
  const enabled = v.DOCS_ENABLED === undefined || /^(true|1|yes)$/i.test(v.DOCS_ENABLED);
  return { enabled };
}

export const docsConfig = registerAs('docs', () => loadDocsConfig(process.env));
export type DocsConfig = ReturnType<typeof loadDocsConfig>;
