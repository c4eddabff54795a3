import { randomBytes } from 'node:crypto';
import { RunningSimulator, SimulatorOptions, startSimulator } from 'oneaccess-simulator';
import { createTestApp, TestApp } from './create-test-app';
import { TestRedisServer } from './redis-server';
import { Teardown } from './teardown';

export interface GatewayStack {
  gateway: TestApp;
  simulator: RunningSimulator;
  /** Set when this stack started its own redis-server (always when `ownRedis`). */
  redisServer?: TestRedisServer;
  redisUrl: string;
  keyPrefix: string;
  close(): Promise<void>;
}

/** What another gateway instance needs to share this stack's Redis (and key prefix) and OneAccess. */
export function sharedStackEnv(stack: GatewayStack): Record<string, string> {
  return {
    REDIS_URL: stack.redisUrl,
    REDIS_KEY_PREFIX: stack.keyPrefix,
    ONEACCESS_BASE_URL: stack.simulator.url,
    ONEACCESS_CLIENT_ID: stack.simulator.clientId,
    ONEACCESS_CLIENT_SECRET: stack.simulator.clientSecret,
  };
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
export function startGatewayStack(options: StackOptions = {}): Promise<GatewayStack> {
  return Teardown.guard(async (teardown) => {
    let redisServer: TestRedisServer | undefined;
    let redisUrl = options.ownRedis ? undefined : process.env.REDIS_URL;
    if (!redisUrl) {
      redisServer = teardown.add(new TestRedisServer(), (r) => r.stop());
      await redisServer.start();
      redisUrl = redisServer.url;
    }
    const simulator = teardown.add(
      await startSimulator({ port: 0, control: true, ...options.simulator }),
      (s) => s.close(),
    );
    const keyPrefix = `t${randomBytes(4).toString('hex')}:`;
    const gateway = teardown.add(
      await createTestApp({
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: keyPrefix,
        ONEACCESS_BASE_URL: simulator.url,
        ONEACCESS_CLIENT_ID: simulator.clientId,
        ONEACCESS_CLIENT_SECRET: simulator.clientSecret,
        ...options.env,
      }),
      (g) => g.close(),
    );
    return {
      gateway,
      simulator,
      redisServer,
      redisUrl,
      keyPrefix,
      close: () => teardown.run(),
    };
  });
}
