import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import pino, { DestinationStream } from 'pino';
import { BatchedDestination } from './batched-destination';
import { LOG_DESTINATION } from './log-destination';
import { RequestLineWriter } from './request-line-writer';

export { LOG_DESTINATION };

/** Lines are written in batches of at least this many bytes... */
const BATCH_BYTES = 4096;
/** ...or of whatever has gathered after this long, so a quiet gateway's lines are not held. */
const FLUSH_EVERY_MS = 250;

/** The open destinations (one per app; tests make many in a process). */
const open = new Set<BatchedDestination>();

function stdoutDestination(): BatchedDestination {
  const destination = new BatchedDestination(
    pino.destination({ dest: 1, sync: false }),
    BATCH_BYTES,
    FLUSH_EVERY_MS,
    // Audit lines: one synchronous write each (no fsync), so a killed worker keeps them.
    pino.destination({ dest: 1, sync: true }),
  );
  open.add(destination);
  return destination;
}

/** Writes what has gathered, now, whatever state stdout is in. */
function flushQuietly(flush: () => void): void {
  try {
    flush();
  } catch {
    // nothing left to flush, or stdout is gone: nothing more to do
  }
}

// Also on an exit Nest does not see (an uncaught exception): what has gathered is written.
process.once('exit', () =>
  open.forEach((destination) => flushQuietly(() => destination.flushSync())),
);

/**
 * Writes out every open destination and waits until the lines are written: a failed start's
 * reason, written after this, is then the last line.
 */
export async function endLogDestinations(): Promise<void> {
  const ending = [...open];
  open.clear();
  await Promise.all(ending.map((destination) => destination.end()));
}

/**
 * Where log lines go: stdout, written asynchronously and in batches. A write per line costs a
 * system call on every relayed request (~2% of the relay's CPU measured); batching lines into
 * writes of 4 kB, or of what gathered in 250 ms, removes nearly all of them. Flushed at shutdown
 * and at exit (process.exit, an uncaught exception), so only a killed process (SIGKILL, the OOM
 * killer) can lose its last quarter second of lines, and never an audit line: AuditLog has each
 * written synchronously before it returns (BatchedDestination.flushDurably).
 * The RequestLineWriter (the fast paths' request lines) writes to the same stream.
 */
@Global()
@Module({
  providers: [
    {
      provide: LOG_DESTINATION,
      useFactory: stdoutDestination,
    },
    RequestLineWriter,
  ],
  exports: [LOG_DESTINATION, RequestLineWriter],
})
export class LogDestinationModule implements OnApplicationShutdown {
  constructor(@Inject(LOG_DESTINATION) private readonly destination: DestinationStream) {}

  onApplicationShutdown(): void {
    // Tests may put a plain stream in its place: only our own destination gathers lines.
    const destination = this.destination;
    if (!(destination instanceof BatchedDestination)) return;
    open.delete(destination);
    flushQuietly(() => destination.close());
  }
}
