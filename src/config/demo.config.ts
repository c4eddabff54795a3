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
 * `DEMO_ENABLED=true`. Off by default when SPA_DIR serves the team's own SPA there (both at once
 * is refused by the SPA's configuration).
 */
export function loadDemoConfig(env: Env) {
  const v = validateEnv(DemoEnv, env);
  const enabled =
    v.DEMO_ENABLED === undefined
      ? !isProduction(env) && !env.SPA_DIR
      : /^(true|1|yes)$/i.test(v.DEMO_ENABLED);
  return {
    enabled,
    /** The demo's live WebSocket feed runs in the process: with the demo, never in production. */
    embeddedFeed: enabled && !isProduction(env),
  };
}

export const demoConfig = registerAs('demo', () => loadDemoConfig(process.env));
export type DemoConfig = ReturnType<typeof loadDemoConfig>;
