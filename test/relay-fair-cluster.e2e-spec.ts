import { RunningSimulator, startSimulator } from 'oneaccess-simulator';
import { childProcesses, connectionsTo } from './helpers/child-processes';
import { EchoUpstream } from './helpers/echo-upstream';
import {
  GatewayProcess,
  productionClientSecret,
  sharedProductionEnv,
  startGatewayProcess,
} from './helpers/gateway-process';
import { rawRequest } from './helpers/raw-http';
import { TestRedisServer } from './helpers/redis-server';
import { waitFor } from './helpers/wait-for';
import { COOKIE, passwordLogin, USERS } from './security/helpers';

const SHARE = 6;
const CALLS = 40;

/**
 * The share of a session (RELAY_MAX_CONCURRENT_PER_SESSION) is the instance's, not each
 * worker's: with WORKERS=2 the calls of one session spread over both workers (one connection
 * each, the cluster deals connections round-robin), and the upstream never sees more than the
 * share of them at once, while all of them are served.
 */
describe('relay share across the workers of a cluster (WORKERS=2)', () => {
  let redis: TestRedisServer | undefined;
  let sim: RunningSimulator;
  let upstream: EchoUpstream;
  let gw: GatewayProcess;
  let cookie: string;

  beforeAll(async () => {
    let redisUrl = process.env.REDIS_URL ?? '';
    if (!redisUrl) {
      redis = await new TestRedisServer().start();
      redisUrl = redis.url;
    }
    sim = await startSimulator({ port: 0, control: true, clientSecret: productionClientSecret() });
    upstream = await new EchoUpstream().start();
    gw = await startGatewayProcess(
      {
        ...sharedProductionEnv({ redisUrl, simulator: sim }),
        WORKERS: '2',
        RELAY_MAX_CONCURRENT_PER_SESSION: String(SHARE),
        API_ROUTES: JSON.stringify({ app: { target: `${upstream.url}/app` } }),
      },
      60_000,
    );
    const browser = await passwordLogin(gw.url, USERS.plain.user_name);
    cookie = `${COOKIE}=${browser.cookies.get(COOKIE)}`;
  }, 90_000);

  afterAll(async () => {
    await gw?.stop();
    await upstream?.close();
    await sim?.close();
    await redis?.stop();
  });

  it('should never let one session have more than its share at the upstream, on both workers together', async () => {
    const calls = Array.from({ length: CALLS }, (_, i) =>
      rawRequest(gw.url, 'GET', `/api/app/held/c${i}`, { cookie }),
    );
    let answered = 0;
    while (answered < CALLS) {
      const remaining = CALLS - answered;
      await waitFor(
        () => upstream.waiting >= Math.min(SHARE, remaining),
        20_000,
        `the next ${Math.min(SHARE, remaining)} calls at the upstream`,
      );
      answered += upstream.answerHeld();
    }
    const replies = await Promise.all(calls);
    expect(replies.map((r) => r.status)).toEqual(Array(CALLS).fill(200));
    expect(upstream.maxOpen).toBe(SHARE);
    // Both workers relayed calls of this session: each keeps its pool's connections to the
    // upstream alive after the calls.
    const workers = childProcesses(gw.pid).map((c) => c.pid);
    expect(workers).toHaveLength(2);
    for (const pid of workers) expect(connectionsTo(pid, upstream.port)).toBeGreaterThan(0);
  });
});
