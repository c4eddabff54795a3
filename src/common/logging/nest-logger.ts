import { LoggerService } from '@nestjs/common';

/**
 * Nest logs this from `init()`, before the gateway binds its port: a start that then fails on a
 * busy port would end with a success claim. The gateway's own start line ("listening on ...",
 * main.ts) is written once the ports are bound, so this one is dropped.
 */
const PREMATURE_SUCCESS = 'Nest application successfully started';

/**
 * Nest's contexts that describe its own wiring at start: a line per module ("dependencies
 * initialized") and per route ("Mapped {/auth/login/password, POST} route"), about 60 lines at
 * every start of every worker. Useful when a route seems missing, noise otherwise: at debug.
 */
const WIRING_CONTEXTS: ReadonlySet<string> = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
]);

/**
 * The logger Nest's own lines go through: the gateway's pino logger, minus the premature success
 * claim, with its wiring lines moved from `log` (info) to `debug`.
 */
export class NestLineLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...rest: unknown[]): void {
    if (message === PREMATURE_SUCCESS) return;
    // Nest passes a named Logger's context as the last parameter.
    const context = rest[rest.length - 1];
    if (typeof context === 'string' && WIRING_CONTEXTS.has(context) && this.inner.debug)
      this.inner.debug(message, ...rest);
    else this.inner.log(message, ...rest);
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
