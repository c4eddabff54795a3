/** One JSON log line of a gateway process (pino). */
export type LogLine = Record<string, unknown>;

/** The JSON lines of a process's output (the cluster primary's plain lines are skipped). */
export function logLinesOf(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

/** The value of one sample of a Prometheus text scrape, or undefined when it is absent. */
export function metricSample(text: string, name: string, labels = ''): number | undefined {
  const escaped = `${name}${labels}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}
