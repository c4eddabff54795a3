import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Agent, Dispatcher } from 'undici';
import { oneAccessConfig } from '../../config/oneaccess.config';

/** The undici dispatcher every upstream client uses; tests may override it with a MockAgent. */
export const UPSTREAM_DISPATCHER = Symbol('UPSTREAM_DISPATCHER');

/**
 * Owns the keep-alive connection pool to OneAccess, so that each call reuses a warm TLS
 * connection and shutdown closes them all. The relay has a pool of its own per API route
 * (modules/relay/relay-pools.ts), so slow relayed calls never starve OneAccess calls.
 */
@Global()
@Module({
  providers: [
    {
      provide: UPSTREAM_DISPATCHER,
      inject: [oneAccessConfig.KEY],
      useFactory: (cfg: ConfigType<typeof oneAccessConfig>): Dispatcher =>
        new Agent({
          connections: 128,
          keepAliveTimeout: 30_000,
          connect: { timeout: cfg.timeoutMs },
          headersTimeout: cfg.timeoutMs,
          bodyTimeout: cfg.timeoutMs,
        }),
    },
  ],
  exports: [UPSTREAM_DISPATCHER],
})
export class UpstreamHttpModule implements OnApplicationShutdown {
  constructor(@Inject(UPSTREAM_DISPATCHER) private readonly dispatcher: Dispatcher) {}

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }
}
