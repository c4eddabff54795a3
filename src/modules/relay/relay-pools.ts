import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Dispatcher, Pool } from 'undici';
import { oneAccessConfig } from '../../config/oneaccess.config';
import { upstreamsConfig } from '../../config/upstreams.config';

/** How long an idle upstream connection is kept for reuse. */
const KEEP_ALIVE_MS = 30_000;

/**
 * One keep-alive connection pool per API route (API_ROUTES `max_connections`), made at start.
 * Separate pools isolate routes: a route whose calls hang (slow uploads, a stalled upstream) fills
 * only its own pool, even when several routes share an upstream host.
 */
@Injectable()
export class RelayPools implements OnApplicationShutdown {
  private readonly pools = new Map<string, Dispatcher>();

  constructor(
    @Inject(upstreamsConfig.KEY) upstreams: ConfigType<typeof upstreamsConfig>,
    @Inject(oneAccessConfig.KEY) oneAccess: ConfigType<typeof oneAccessConfig>,
  ) {
    for (const route of upstreams.routes.values()) {
      this.pools.set(
        route.name,
        new Pool(route.target.origin, {
          connections: route.maxConnections,
          keepAliveTimeout: KEEP_ALIVE_MS,
          connect: { timeout: oneAccess.timeoutMs },
          headersTimeout: route.timeoutMs,
          bodyTimeout: route.timeoutMs,
        }),
      );
    }
  }

  /** The pool of a configured route (every route has one). */
  for(route: string): Dispatcher {
    return this.pools.get(route)!;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
  }
}
