import { request as httpRequest } from 'node:http';

/** OTLP's span kinds, as the receiver decodes them. */
export const SERVER = 2;
export const CLIENT = 3;

/** `00-<trace>-<span>-<flags>` into its parts; throws on anything else. */
export function parsedTraceparent(value: unknown): { traceId: string; spanId: string } {
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(String(value));
  if (!match) throw new Error(`not a traceparent: ${String(value)}`);
  return { traceId: match[1], spanId: match[2] };
}

/**
 * A request with exactly these headers (no X-CSRF unless given), on a connection of its own, from
 * `localAddress` when given (loopback takes any 127.x: a trusted proxy's address or not).
 * Resolves with the status once the answer is read.
 */
export function requestFrom(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  localAddress?: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      { method, headers, localAddress, agent: false },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
