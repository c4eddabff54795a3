import { randomBytes } from 'node:crypto';
import { RunningSimulator, startSimulator } from 'oneaccess-simulator';
import { Agent } from 'undici';
import { EchoUpstream } from '../helpers/echo-upstream';
import {
  GatewayProcess,
  productionClientSecret,
  sharedProductionEnv,
  startGatewayProcess,
} from '../helpers/gateway-process';

/** How the gateway reaches Redis in a reliability test: a URL, Sentinel or Cluster variables. */
export type RedisEnv =
  | { REDIS_URL: string }
  | { REDIS_SENTINELS: string; REDIS_SENTINEL_MASTER: string }
  | { REDIS_CLUSTER_NODES: string };

/**
 * The parts around the gateway in a reliability test: the simulator as OneAccess, an upstream
 * behind the `echo` route, a client agent, and the production environment of the gateway
 * processes. `close()` stops whatever was started, so a failed setup leaks nothing.
 */
export class ReliabilityStack {
  sim?: RunningSimulator;
  upstream?: EchoUpstream;
  readonly agent = new Agent({ connections: 64, keepAliveTimeout: 1000 });
  readonly gateways: GatewayProcess[] = [];
  private env: Record<string, string> = {};

  async start(redis: RedisEnv, extra: Record<string, string> = {}): Promise<this> {
    this.sim = await startSimulator({ port: 0, clientSecret: productionClientSecret() });
    this.upstream = await new EchoUpstream().start();
    const env: Record<string, string> = {
      ...sharedProductionEnv({
        redisUrl: 'redis://127.0.0.1:6379',
        simulator: this.sim,
        keyPrefix: `rel${randomBytes(3).toString('hex')}:`,
      }),
      // The simulator and upstream are plain http on loopback.
      ALLOW_INSECURE: 'true',
      // Every test session is zhangsan's: keep them all.
      MAX_SESSIONS_PER_USER: '0',
      LOG_LEVEL: 'warn',
      API_ROUTES: JSON.stringify({ echo: { target: `${this.upstream.url}/svc` } }),
      ...extra,
    };
    delete env.REDIS_URL;
    this.env = { ...env, ...redis };
    return this;
  }

  async gateway(extra: Record<string, string> = {}): Promise<GatewayProcess> {
    const gw = await startGatewayProcess({ ...this.env, ...extra }, 60_000);
    this.gateways.push(gw);
    return gw;
  }

  async close(): Promise<void> {
    await Promise.all(this.gateways.map((g) => g.stop()));
    await this.agent.close();
    await this.upstream?.close();
    await this.sim?.close();
  }
}
