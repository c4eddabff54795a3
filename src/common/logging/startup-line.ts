import { writeSync } from 'node:fs';
import { hostname } from 'node:os';

/** json: shaped like every other log line (pino's keys); text: for a terminal. */
export type StartupLineFormat = 'json' | 'text';

/** pino's level numbers, so a log pipeline files these lines with the rest. */
const LEVELS = { error: 50, fatal: 60 } as const;

/**
 * A line written without the logger: before it exists (a refused start), or where there is none
 * (the cluster primary).
 */
export interface StartupLine {
  level: keyof typeof LEVELS;
  event: string;
  /** One line, for json and as the default text. */
  msg: string;
  /** What a terminal shows instead of `msg` (e.g. one problem per line). */
  text?: string;
  [field: string]: unknown;
}

/**
 * Writes `line` to stderr synchronously: the process exits right after, and an asynchronous
 * write could be lost or land before the log lines it must follow.
 */
export function writeStartupLine(format: StartupLineFormat, line: StartupLine): void {
  const { level, msg, text, ...fields } = line;
  const out =
    format === 'json'
      ? JSON.stringify({
          level: LEVELS[level],
          time: Date.now(),
          pid: process.pid,
          hostname: hostname(),
          context: 'Startup',
          ...fields,
          msg,
        })
      : (text ?? msg);
  writeSync(2, `${out}\n`);
}
