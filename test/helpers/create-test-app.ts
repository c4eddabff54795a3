import type { Server } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/bootstrap';

export interface TestApp {
  app: INestApplication;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

/** Variables every test app gets unless the test says otherwise. */
const TEST_DEFAULTS: Record<string, string> = {
  LOG_LEVEL: 'silent',
  PUBLIC_ORIGIN: 'http://localhost:3000',
  RATE_LIMITS: 'off',
};

/**
 * Builds the gateway through the same createApp() that production uses, with `env` applied to
 * process.env only while it is created (config is read then), and listens on a free port, or on
 * `port` when the test needs to know it beforehand (e.g. for PUBLIC_ORIGIN).
 */
export async function createTestApp(
  env: Record<string, string | undefined>,
  port = 0,
): Promise<TestApp> {
  const saved = { ...process.env };
  Object.assign(process.env, TEST_DEFAULTS, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  let app: INestApplication<Server>;
  try {
    app = await createApp();
    await app.listen(port, '127.0.0.1');
  } finally {
    process.env = saved;
  }
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
