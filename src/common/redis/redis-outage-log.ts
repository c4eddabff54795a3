/** What the outage log writes to: Nest's Logger, which hands objects to pino as fields. */
export interface OutageLogger {
  warn(line: object): void;
  log(line: object): void;
}

/** The pause after the first warning of an outage; each next pause is twice the last. */
const FIRST_PAUSE_MS = 2_000;
/** The longest pause: a long outage still says it goes on, every five minutes. */
const MAX_PAUSE_MS = 300_000;

/**
 * The Redis client's connection errors as log lines an operator can read through an outage.
 * ioredis reports a failed reconnect every couple of seconds for as long as Redis is away; one
 * warning each (what the gateway used to write) buried everything else. Here the first error of
 * an outage is a warning at once, later ones wait for a pause that doubles up to five minutes and
 * say how many errors they stand for, and the reconnection ends the outage with one line saying
 * how long it lasted. Every error is still counted by `bff_redis_errors_total`.
 */
export class RedisOutageLog {
  /** When the outage began; null while connected. */
  private since: number | null = null;
  private nextAt = 0;
  private pauseMs = FIRST_PAUSE_MS;
  /** Errors since the last warning, not yet written. */
  private unwritten = 0;

  constructor(
    private readonly logger: OutageLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** A connection error of the client. */
  error(err: Error & { code?: string }): void {
    const now = this.now();
    if (this.since === null) {
      this.since = now;
      this.pauseMs = FIRST_PAUSE_MS;
      this.nextAt = now;
      this.unwritten = 0;
    }
    this.unwritten += 1;
    if (now < this.nextAt) return;
    this.logger.warn({
      event: 'redis_unavailable',
      errors: this.unwritten,
      down_s: Math.round((now - this.since) / 1000),
      next_warning_s: this.pauseMs / 1000,
      msg: `Redis connection problem: ${err.message}`,
    });
    this.unwritten = 0;
    this.nextAt = now + this.pauseMs;
    this.pauseMs = Math.min(this.pauseMs * 2, MAX_PAUSE_MS);
  }

  /** The client is connected (again): ends an outage, if there was one. */
  ready(): void {
    if (this.since === null) return;
    const down = Math.round((this.now() - this.since) / 1000);
    this.since = null;
    this.logger.log({
      event: 'redis_restored',
      down_s: down,
      msg: `Redis connection restored after ${down} s`,
    });
  }
}
