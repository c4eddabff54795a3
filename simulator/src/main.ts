import { DEFAULT_LIFETIMES, type Lifetimes, type SimulatorOptions } from './config/options';
import { startSimulator } from './start-simulator';

/**
 * Standalone entry (`npm run simulator`). The only file that reads process.env; see the README
 * for the variables.
 */
async function main(): Promise<void> {
  const env = process.env;
  const options: Partial<SimulatorOptions> = {
    port: env.SIM_PORT ? Number(env.SIM_PORT) : 7100,
    host: env.SIM_HOST,
    clientId: env.SIM_CLIENT_ID,
    clientSecret: env.SIM_CLIENT_SECRET,
    tenantId: env.SIM_TENANT_ID,
    control: env.SIM_CONTROL === '1' || env.SIM_CONTROL === 'true',
    seed: env.SIM_SEED,
    oauthAuthorize: env.SIM_OAUTH_AUTHORIZE as SimulatorOptions['oauthAuthorize'] | undefined,
    oauthAutoUser: env.SIM_OAUTH_AUTO_USER,
    oauthRedirectUris: env.SIM_OAUTH_REDIRECT_URIS?.split(',')
      .map((uri) => uri.trim())
      .filter(Boolean),
    latencyMs: env.SIM_LATENCY_MS ? Number(env.SIM_LATENCY_MS) : undefined,
    lifetimes: lifetimesFromEnv(env),
    logger: (line) => console.log(`[oneaccess-sim] ${new Date().toISOString()} ${line}`),
  };
  const sim = await startSimulator(options);
  console.log(
    `[oneaccess-sim] listening on ${sim.url} (client_id ${sim.clientId}${options.control ? ', control endpoints on' : ''})`,
  );

  const stop = (signal: string): void => {
    console.log(`[oneaccess-sim] ${signal}, closing`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** SIM_LIFETIME_<NAME> in seconds, e.g. SIM_LIFETIME_SESSION_TOKEN=60. */
function lifetimesFromEnv(env: NodeJS.ProcessEnv): Partial<Lifetimes> {
  const lifetimes: Partial<Lifetimes> = {};
  for (const name of Object.keys(DEFAULT_LIFETIMES) as (keyof Lifetimes)[]) {
    const value = env[`SIM_LIFETIME_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`];
    if (value !== undefined && value !== '') lifetimes[name] = Number(value);
  }
  return lifetimes;
}

main().catch((err: unknown) => {
  console.error(
    `[oneaccess-sim] failed to start: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
