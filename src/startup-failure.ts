import cluster from 'node:cluster';
import { endLogDestinations } from './common/logging/log-destination.module';
import { StartupLine, writeStartupLine } from './common/logging/startup-line';
import { startupLogFormat } from './config/logging.config';
import { ConfigError } from './config/validate-env';
import { ListenError } from './modules/ops/listen';

/** The key of the message a cluster worker sends its primary when it cannot start. */
const START_FAILED = 'bff:start_failed';

/**
 * Why the start failed, as one line. A bad configuration or a busy port is the operator's to
 * fix: what, without a stack trace. Anything else keeps its stack.
 */
export function startFailureLine(err: unknown): StartupLine {
  if (err instanceof ConfigError) {
    return {
      level: 'fatal',
      event: 'config_invalid',
      problems: err.problems,
      msg: `Invalid configuration: ${err.problems.join('; ')}`,
      text: err.message,
    };
  }
  if (err instanceof ListenError)
    return { level: 'fatal', event: 'listen_failed', msg: err.message };
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    level: 'fatal',
    event: 'start_failed',
    err: { type: e.name, message: e.message, stack: e.stack },
    msg: e.message,
    text: e.stack ?? e.message,
  };
}

/** The line a worker sent with {@link failStart}, or undefined for any other message. */
export function startFailureOf(message: unknown): StartupLine | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  return (message as Record<string, StartupLine | undefined>)[START_FAILED];
}

/**
 * Ends a failed start: the log lines so far are written out first, then the reason, so the
 * reason is the last line; exit 1. A cluster worker hands its reason to the primary instead,
 * which says it once for all workers (primary.ts).
 */
export async function failStart(err: unknown): Promise<never> {
  const line = startFailureLine(err);
  await endLogDestinations();
  const send = cluster.isWorker ? process.send?.bind(process) : undefined;
  if (send)
    await new Promise<void>((resolve) =>
      send({ [START_FAILED]: line }, undefined, undefined, () => resolve()),
    );
  else writeStartupLine(startupLogFormat(), line);
  process.exit(1);
}
