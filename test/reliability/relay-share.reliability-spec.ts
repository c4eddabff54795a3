import { childProcesses, connectionsTo } from '../helpers/child-processes';
import { rawRequest } from '../helpers/raw-http';
import { TestRedisServer } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { COOKIE, passwordLogin, USERS } from '../security/helpers';
import { ReliabilityStack } from './stack';

const SHARE = 6;
const CALLS = 40;

/**
 * The share of a session (RELAY_MAX_CONCURRENT_PER_SESSION) is the instance's, not each
 * worker's: with WORKERS=2 the calls of one session spread over both workers (one connection
 * each, the cluster deals connections round-robin), and the upstream never sees more than the
 * share of them at once, while all of them are served.
 */
describe('relay share across the workers of a cluster (WORKERS=2)', () => {
  const redis = new TestRedisServer();
  const stack = new ReliabilityStack();

  beforeAll(async () => {
    await redis.start();
    await stack.start({ REDIS_URL: redis.url });
    await stack.gateway({ WORKERS: '2', RELAY_MAX_CONCURRENT_PER_SESSION: String(SHARE) });
  }, 90_000);
  afterAll(async () => {
    await stack.close();
    await redis.stop();
  });

  it('should never let one session have more than its share at the upstream, on both workers together', async () => {
    const gw = stack.gateways[0];
    const upstream = stack.upstream!;
    const browser = await passwordLogin(gw.url, USERS.plain.user_name);
    const cookie = `${COOKIE}=${browser.cookies.get(COOKIE)}`;
    // The gateway is ready once ONE worker listens; the cluster deals connections only to those
    // that do. Relay single calls (a new connection each) until both workers have served one, so
    // the 40 calls below are dealt to both (a CI flake: all went to the first worker).
    const workers = childProcesses(gw.pid).map((c) => c.pid);
    expect(workers).toHaveLength(2);
    await waitFor(
      async () => {
        expect((await rawRequest(gw.url, 'GET', '/api/echo/warm-up', { cookie })).status).toBe(200);
        return workers.every((pid) => connectionsTo(pid, upstream.port) > 0);
      },
      15_000,
      'both workers relaying',
    );
    const calls = Array.from({ length: CALLS }, (_, i) =>
      rawRequest(gw.url, 'GET', `/api/echo/held/c${i}`, { cookie }),
    );
    let answered = 0;
    while (answered < CALLS) {
      const next = Math.min(SHARE, CALLS - answered);
      await waitFor(
        () => upstream.waiting >= next,
        20_000,
        `the next ${next} calls at the upstream`,
      );
      answered += upstream.answerHeld();
    }
    const replies = await Promise.all(calls);
    expect(replies.map((r) => r.status)).toEqual(Array(CALLS).fill(200));
    expect(upstream.maxOpen).toBe(SHARE);
    // Both workers are still the cluster's, each with its pool's connections to the upstream.
    expect(childProcesses(gw.pid).map((c) => c.pid)).toEqual(workers);
    for (const pid of workers) expect(connectionsTo(pid, upstream.port)).toBeGreaterThan(0);
  });
});
