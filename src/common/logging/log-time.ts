/**
 * The `time` of every log line, as pino's `timestamp` option wants it (`,"time":…`): UTC ISO 8601
 * with milliseconds, the format of the audit lines' `at`, so both read and sort alike. The string
 * of the current millisecond is kept: the request lines of one busy millisecond share it instead
 * of formatting the date again.
 */
let lastMs = -1;
let last = '';

export function isoTime(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    last = `,"time":"${new Date(now).toISOString()}"`;
  }
  return last;
}
