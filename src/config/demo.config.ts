import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';
import { Env, isProduction, validateEnv } from './validate-env';

class DemoEnv {
  @IsOptional()
  @Matches(/^(true|false|1|0|yes|no)$/i, { message: 'must be true or false' })
  DEMO_ENABLED?: string;
}

/**
 * The demo SPA at `/` (issue 7): on by default in development, off in production unless
 * `DEMO_ENABLED=true`.
 */
export function loadDemoConfig(env: Env) {
  const v = validateEnv(DemoEnv, env);
  const enabled =
    v.DEMO_ENABLED === undefined ? !isProduction(env) : /^(true|1|yes)$/i.test(v.DEMO_ENABLED);
  return { enabled };
}

export const demoConfig = registerAs('demo', () => loadDemoConfig(process.env));
export type DemoConfig = ReturnType<typeof loadDemoConfig>;
