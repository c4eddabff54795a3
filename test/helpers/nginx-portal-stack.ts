import type { SimulatorOptions } from 'oneaccess-simulator';
import { EchoUpstream } from './echo-upstream';
import { GatewayStack, startGatewayStack } from './gateway-stack';
import { NginxServer } from './nginx-server';
import { SpaFixture } from './spa-fixture';
import { Teardown } from './teardown';
import { WsUpstream } from './ws-upstream';

/** The origin the nginx recipes are written for (their server_name). */
export const PORTAL_ORIGIN = 'https://portal.example.com';

export interface NginxPortal {
  /** The API behind the relay, as `/portal/api/files/**`. */
  upstream: EchoUpstream;
  /** A WebSocket API behind the relay, as `/portal/api/live/**` (`"websocket": true`). */
  wsUpstream: WsUpstream;
  stack: GatewayStack;
  nginx: NginxServer;
  /** The team's SPA, with the files and the escapes of {@link SpaFixture}. */
  spa: SpaFixture;
  close(): Promise<void>;
}

export interface NginxPortalOptions {
  /** The gateway serves the SPA itself (SPA_DIR); otherwise nginx is given its directory. */
  spaInGateway: boolean;
  simulator?: Partial<SimulatorOptions>;
}

/**
 * A recipe from deploy/nginx in a real nginx in front of a real gateway (BASE_PATH=/portal,
 * TRUST_PROXY=loopback, PUBLIC_ORIGIN the recipe's), the simulator, Redis and an API behind the
 * relay, with the team's SPA served by the gateway (SPA_DIR) or by nginx.
 */
export function startNginxPortal(
  recipe: string,
  options: NginxPortalOptions,
): Promise<NginxPortal> {
  return Teardown.guard(async (teardown) => {
    const spa = teardown.add(await new SpaFixture().create(), (s) => s.remove());
    const upstream = teardown.add(await new EchoUpstream().start(), (u) => u.close());
    const wsUpstream = teardown.add(await new WsUpstream().start(), (u) => u.close());
    const stack = teardown.add(
      await startGatewayStack({
        env: {
          PUBLIC_ORIGIN: PORTAL_ORIGIN,
          BASE_PATH: '/portal',
          TRUST_PROXY: 'loopback',
          SPA_DIR: options.spaInGateway ? spa.root : undefined,
          API_ROUTES: JSON.stringify({
            files: { target: `${upstream.url}/files` },
            live: { target: `${wsUpstream.url}/live`, websocket: true },
          }),
        },
        simulator: options.simulator,
      }),
      (s) => s.close(),
    );
    const nginx = teardown.add(new NginxServer(), (n) => n.stop());
    const gatewayPort = Number(new URL(stack.gateway.url).port);
    await nginx.start(recipe, gatewayPort, options.spaInGateway ? undefined : spa.root);
    return { upstream, wsUpstream, stack, nginx, spa, close: () => teardown.run() };
  });
}
