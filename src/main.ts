import cluster from 'node:cluster';
import { createApp } from './bootstrap';
import { loadAppConfig } from './config/app.config';
import { assertValidEnvironment } from './config/config';
import { ConfigError } from './config/validate-env';
import { runPrimary } from './primary';

async function main(): Promise<void> {
  assertValidEnvironment();
  const { port, workers } = loadAppConfig();
  if (workers > 1 && cluster.isPrimary) return runPrimary(workers);
  const app = await createApp();
  await app.listen(port);
  // Not Nest's enableShutdownHooks(): it re-raises the signal after closing, so a clean stop
  // would look like a kill. Close (Redis, connection pools, log flush), then exit 0.
  const stop = () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  // A bad configuration is the operator's to fix: say what, without a stack trace.
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
