import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIFETIMES, type Lifetimes, type SimulatorOptions } from './config/options';
import { startSimulator } from './start-simulator';
import { makeCertificate, type SelfSignedCertificate } from './tls/self-signed-cert';

/**
 * Standalone entry (`npm run simulator`). The only file that reads process.env; see the README
 * for the variables.
 */
async function main(): Promise<void> {
  const env = process.env;
  const tls = env.SIM_TLS === '1' || env.SIM_TLS === 'true' ? certificate(env) : undefined;
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
    tls,
    logger: (line) => console.log(`[oneaccess-sim] ${new Date().toISOString()} ${line}`),
  };
  const sim = await startSimulator(options);
  console.log(
    `[oneaccess-sim] listening on ${sim.url} (client_id ${sim.clientId}${options.control ? ', control endpoints on' : ''})`,
  );
  if (tls) {
    console.log(
      `[oneaccess-sim] self-signed certificate: trust it with NODE_EXTRA_CA_CERTS=${tls.certPath}`,
    );
  }

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

/**
 * SIM_TLS=1: a new self-signed certificate at each start, in SIM_TLS_DIR (default a fixed
 * directory under the system's temp directory, so the path to trust stays the same).
 */
function certificate(env: NodeJS.ProcessEnv): SelfSignedCertificate {
  const dir = env.SIM_TLS_DIR || join(tmpdir(), 'oneaccess-sim-tls');
  mkdirSync(dir, { recursive: true });
  return makeCertificate(dir);
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
