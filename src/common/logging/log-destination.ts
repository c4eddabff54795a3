/**
 * The stream log lines go to (stdout in production): pino writes to it, and so does the
 * RequestLineWriter. Its own file so that providers in LogDestinationModule can inject it.
 */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');
