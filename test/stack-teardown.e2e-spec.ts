import { connect } from 'node:net';
import { childProcesses } from './helpers/child-processes';
import { startGatewayStack } from './helpers/gateway-stack';
import { TestRedisServer } from './helpers/redis-server';
import { Teardown } from './helpers/teardown';

/** The redis-server processes this jest worker started and that are still running. */
const ourRedisServers = () =>
  childProcesses(process.pid)
    .filter((c) => c.name === 'redis-server')
    .map((c) => c.pid);

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/**
 * A suite whose setup fails must still stop every process it started, or jest never exits (a
 * missing Chromium used to leave three redis-servers and a hung run).
 */
describe('test stacks stop what they started when their setup fails', () => {
  it('should stop earlier resources, newest first, when a later step throws', async () => {
    const order: string[] = [];
    let redis: TestRedisServer | undefined;
    await expect(
      Teardown.guard(async (t) => {
        redis = t.add(new TestRedisServer(), async (r) => {
          order.push('redis');
          await r.stop();
        });
        await redis.start();
        t.add('second', () => order.push('second'));
        throw new Error('the browser is missing');
      }),
    ).rejects.toThrow('the browser is missing');
    expect(order).toEqual(['second', 'redis']);
    expect(await listening(redis!.port)).toBe(false);
  });

  it('should leave no redis-server behind when the gateway of a stack cannot start', async () => {
    const before = ourRedisServers();
    await expect(
      startGatewayStack({ ownRedis: true, env: { RATE_LIMITS: '{not json' } }),
    ).rejects.toThrow(/RATE_LIMITS/);
    expect(ourRedisServers()).toEqual(before);
  });
});
