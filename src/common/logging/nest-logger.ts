import { LoggerService } from '@nestjs/common';

/**
 * Nest logs this from `init()`, before the gateway binds its port: a start that then fails on a
 * busy port would end with a success claim. The gateway's own start line ("listening on ...",
 * main.ts) is written once the ports are bound, so this one is dropped.
 */
const PREMATURE_SUCCESS = 'Nest application successfully started';

/** The logger Nest's own lines go through: the gateway's pino logger, minus the premature claim. */
export class NestLineLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...rest: unknown[]): void {
    if (message === PREMATURE_SUCCESS) return;
    this.inner.log(message, ...rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.inner.error(message, ...rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.inner.warn(message, ...rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.inner.debug?.(message, ...rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.inner.verbose?.(message, ...rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.inner.fatal?.(message, ...rest);
  }
}
