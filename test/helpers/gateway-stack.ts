import { randomBytes } from 'node:crypto';
import { RunningSimulator, SimulatorOptions, startSimulator } from 'oneaccess-simulator';
import { createTestApp, TestApp } from './create-test-app';
import { TestRedisServer } from './redis-server';

export interface GatewayStack {
  gateway: TestApp;
  simulator: RunningSimulator;
  /** Set when this stack started its own redis-server (always when `ownRedis`). */
  redisServer?: TestRedisServer;
  redisUrl: string;
  keyPrefix: string;
  close(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string | undefined>;
  simulator?: Partial<SimulatorOptions>;
  /** Fault tests stop or pause Redis, so they need a server of their own. */
  ownRedis?: boolean;
}

/**
 * The real parts of an end-to-end test: a Redis (REDIS_URL when the environment gives one, else a
 * private redis-server), the OneAccess simulator over real HTTP, and the gateway between them.
 * Each stack uses its own key prefix, so suites sharing one Redis never see each other's keys.
 */
export async function startGatewayStack(options: StackOptions = {}): Promise<GatewayStack> {
  let redisServer: TestRedisServer | undefined;
  let redisUrl = options.ownRedis ? undefined : process.env.REDIS_URL;
  if (!redisUrl) {
    redisServer = await new TestRedisServer().start();
    redisUrl = redisServer.url;
  }
  const simulator = await startSimulator({ port: 0, control: true, ...options.simulator });
  const keyPrefix = `t${randomBytes(4).toString('hex')}:`;
  const gateway = await createTestApp({
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    ONEACCESS_BASE_URL: simulator.url,
    ONEACCESS_CLIENT_ID: simulator.clientId,
    ONEACCESS_CLIENT_SECRET: simulator.clientSecret,
    ...options.env,
  });
  return {
    gateway,
    simulator,
    redisServer,
    redisUrl,
    keyPrefix,
    async close() {
      await gateway.close();
      await simulator.close();
      await redisServer?.stop();
    },
  };
}
