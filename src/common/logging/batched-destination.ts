import type { DestinationStream } from 'pino';

/** What BatchedDestination writes to: pino's SonicBoom (stdout) in production. */
export interface Sink {
  write(chunk: string): unknown;
  flushSync?: () => void;
  /** Ends the stream once what it holds is written; SonicBoom then emits `close`. */
  end?: () => void;
  once?: (event: 'close', listener: () => void) => unknown;
}

/**
 * Gathers log lines and hands them to `sink` in chunks of at least `batchBytes`, or every
 * `everyMs` when fewer have gathered, so that a busy gateway makes one write system call per
 * dozen lines rather than one per line (~2% of the relay's CPU), and a quiet one holds no line
 * longer than `everyMs`. Lines are joined once per chunk: SonicBoom's own `minLength` batching
 * re-measures its whole growing buffer on every line, which on a busy relay allocated more than
 * the lines themselves.
 */
export class BatchedDestination implements DestinationStream {
  private lines: string[] = [];
  private bytes = 0;
  private readonly timer: NodeJS.Timeout;

  /**
   * @param durable writes synchronously to where `sink` writes: what {@link flushDurably} hands
   *   it is written before the call returns. Without it, `sink.flushSync` does that job.
   */
  constructor(
    private readonly sink: Sink,
    private readonly batchBytes: number,
    everyMs: number,
    private readonly durable?: Sink,
  ) {
    this.timer = setInterval(() => this.flush(), everyMs).unref();
  }

  write(line: string): void {
    this.lines.push(line);
    // String length, not bytes: a batch only needs to be about this big.
    this.bytes += line.length;
    if (this.bytes >= this.batchBytes) this.flush();
  }

  /** Hands what has gathered to the sink now. */
  flush(): void {
    if (this.lines.length === 0) return;
    const chunk = this.lines.join('');
    this.lines = [];
    this.bytes = 0;
    this.sink.write(chunk);
  }

  /**
   * Writes what has gathered (the line just written included) with one synchronous write, so a
   * process killed right after cannot lose it: audit lines. Lines handed to `sink` earlier may
   * still be on their way and land after these.
   */
  flushDurably(): void {
    if (!this.durable) return this.flushSync();
    if (this.lines.length === 0) return;
    const chunk = this.lines.join('');
    this.lines = [];
    this.bytes = 0;
    this.durable.write(chunk);
  }

  /** Writes everything out before returning (exit). */
  flushSync(): void {
    this.flush();
    this.sink.flushSync?.();
  }

  /** Writes everything out and stops the timer (shutdown); later lines wait for a flush. */
  close(): void {
    clearInterval(this.timer);
    this.flushSync();
  }

  /**
   * Writes everything out and resolves once the sink has written it (or after `boundMs`): a
   * failed start ends with its reason, written after this. flushSync() cannot promise that: an
   * asynchronous write still in flight may land after the lines it writes synchronously.
   */
  end(boundMs = 2000): Promise<void> {
    clearInterval(this.timer);
    this.flush();
    const { sink } = this;
    if (!sink.end || !sink.once) {
      sink.flushSync?.();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, boundMs).unref();
      sink.once?.('close', () => {
        clearTimeout(timer);
        resolve();
      });
      sink.end?.();
    });
  }
}
