import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import pino, { DestinationStream } from 'pino';
import { LOG_DESTINATION } from './log-destination';
import { RequestLineWriter } from './request-line-writer';

export { LOG_DESTINATION };

type Flushable = DestinationStream & { flushSync?: () => void };

/**
 * Where log lines go: stdout, written asynchronously. A synchronous write per line costs a system
 * call on every relayed request (a measurable share of the hot path); the asynchronous writer
 * batches lines while a write is in flight. Flushed at shutdown, so a clean stop loses nothing.
 * The RequestLineWriter (the fast paths' request lines) writes to the same stream.
 */
@Global()
@Module({
  providers: [
    {
      provide: LOG_DESTINATION,
      useFactory: (): Flushable => pino.destination({ dest: 1, sync: false }),
    },
    RequestLineWriter,
  ],
  exports: [LOG_DESTINATION, RequestLineWriter],
})
export class LogDestinationModule implements OnApplicationShutdown {
  constructor(@Inject(LOG_DESTINATION) private readonly destination: Flushable) {}

  onApplicationShutdown(): void {
    try {
      this.destination.flushSync?.();
    } catch {
      // nothing left to flush, or stdout is gone: nothing more to do at shutdown
    }
  }
}
