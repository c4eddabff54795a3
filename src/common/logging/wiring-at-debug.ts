import type { LoggerService } from '@nestjs/common';

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

/** The logger Nest uses, with its wiring lines moved from `log` (info) to `debug`. */
export function wiringAtDebug(logger: LoggerService): LoggerService {
  return {
    log(message: unknown, ...params: unknown[]): void {
      // Nest passes a named Logger's context as the last parameter.
      const context = params[params.length - 1];
      if (typeof context === 'string' && WIRING_CONTEXTS.has(context) && logger.debug)
        logger.debug(message, ...params);
      else logger.log(message, ...params);
    },
    error(message: unknown, ...params: unknown[]): void {
      logger.error(message, ...params);
    },
    warn(message: unknown, ...params: unknown[]): void {
      logger.warn(message, ...params);
    },
    debug(message: unknown, ...params: unknown[]): void {
      logger.debug?.(message, ...params);
    },
    verbose(message: unknown, ...params: unknown[]): void {
      logger.verbose?.(message, ...params);
    },
    fatal(message: unknown, ...params: unknown[]): void {
      logger.fatal?.(message, ...params);
    },
  };
}
