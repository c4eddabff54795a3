import { createApp } from './bootstrap';
import { loadAppConfig } from './config/app.config';
import { ConfigError } from './config/validate-env';

async function main(): Promise<void> {
  const app = await createApp();
  const { port } = loadAppConfig(process.env);
  await app.listen(port);
}

main().catch((err: unknown) => {
  // A bad configuration is the operator's to fix: say what, without a stack trace.
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
