import { Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import {
  throughExpress,
  throughWriter,
  wire,
  Wired,
  WriterKind,
} from '../../../test/helpers/request-line-harness';
import { REQUEST_LINE_KEYS } from './request-line';
import type { BoundRequestLine } from './request-line-writer';
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A written line without its time (the one field two writes cannot share) and its kind. */
function parsed(raw: string): Record<string, unknown> {
  expect(raw.endsWith('}\n')).toBe(true);
  expect(raw.indexOf('\n')).toBe(raw.length - 1);
  const { time, kind, ...rest } = JSON.parse(raw) as Record<string, unknown>;
  expect(time).toMatch(ISO_TIME);
  expect(typeof kind).toBe('string');
  return rest;
}

const ORDINARY: BoundRequestLine = {
  request_id: '95d2eb40-4ee0-4104-8c2d-bf3201086d1e',
  method: 'GET',
  path: '/auth/session',
  status: 200,
  ms: 1,
  route: '/auth/session',
};

/** Lines as both the fast paths and Express may write them. */
const LINES: ReadonlyArray<[WriterKind, BoundRequestLine]> = [
  ['session_view', ORDINARY],
  [
    'relay',
    { ...ORDINARY, method: 'POST', path: '/api/orders/1', status: 201, ms: 12, route: 'orders' },
  ],
  ['relay', { ...ORDINARY, path: '/api/nope', status: 404, ms: 0, route: null }],
  ['relay', { ...ORDINARY, path: '/api/orders', status: 503, ms: 30001, route: 'orders' }],
  ['relay', { ...ORDINARY, path: '/healthz', route: null }],
  ['relay', { ...ORDINARY, path: '/api/a"b\\c/é/日本/\u2028\ud800', route: 'a"b' }],
];

/**
 * Express's line for `line` and the writer's, the writer given the `ms` pino-http measured (the
 * one value a test cannot choose for pino-http).
 */
async function bothWays(wired: Wired, kind: WriterKind, line: BoundRequestLine) {
  const expected = await throughExpress(wired, line);
  const ms = expected.length > 0 ? (JSON.parse(expected[0]) as { ms: number }).ms : line.ms;
  const actual = throughWriter(wired, kind, { ...line, ms });
  return { expected, actual };
}

describe('RequestLineWriter', () => {
  afterEach(() => {
    Logger.overrideLogger(false);
  });

  it("should write pino-http's line for an Express request, keys in the same order, only the kind differs", async () => {
    const wired = await wire('trace');
    try {
      for (const [kind, line] of LINES) {
        const before = Date.now();
        const { expected, actual } = await bothWays(wired, kind, line);
        expect(expected).toHaveLength(1);
        expect(actual).toHaveLength(1);
        expect(parsed(actual[0])).toEqual(parsed(expected[0]));
        expect(Object.keys(JSON.parse(actual[0]) as object)).toEqual(
          Object.keys(JSON.parse(expected[0]) as object),
        );
        expect(JSON.parse(expected[0])).toMatchObject({ kind: 'express' });
        expect(JSON.parse(actual[0])).toMatchObject({ kind });
        const time = Date.parse((JSON.parse(actual[0]) as { time: string }).time);
        expect(time).toBeGreaterThanOrEqual(before);
        expect(time).toBeLessThanOrEqual(Date.now());
      }
    } finally {
      await wired.close();
    }
  });

  it('should write the documented shape, pid and hostname as pino binds them', async () => {
    const wired = await wire('info');
    try {
      const [raw] = throughWriter(wired, 'session_view', ORDINARY);
      expect(Object.keys(JSON.parse(raw) as object)).toEqual(REQUEST_LINE_KEYS);
      expect(JSON.parse(raw)).toEqual({
        level: 30,
        time: expect.stringMatching(ISO_TIME),
        pid: process.pid,
        hostname: hostname(),
        event: 'request',
        kind: 'session_view',
        ...ORDINARY,
        msg: 'request completed',
      });
    } finally {
      await wired.close();
    }
  });

  it('should log 4xx at warn, 5xx at error, probes at debug and the rest at info', async () => {
    const wired = await wire('trace');
    try {
      const level = (line: Partial<BoundRequestLine>) =>
        (
          JSON.parse(throughWriter(wired, 'relay', { ...ORDINARY, ...line })[0]) as {
            level: number;
          }
        ).level;
      expect(level({ status: 200 })).toBe(30);
      expect(level({ status: 302 })).toBe(30);
      expect(level({ status: 404 })).toBe(40);
      expect(level({ status: 429 })).toBe(40);
      expect(level({ status: 500 })).toBe(50);
      expect(level({ status: 503 })).toBe(50);
      expect(level({ path: '/readyz', status: 503 })).toBe(20);
      expect(level({ path: '/metrics', status: 200 })).toBe(20);
    } finally {
      await wired.close();
    }
  });

  it.each(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])(
    'should filter at LOG_LEVEL=%s exactly as pino does',
    async (logLevel) => {
      const wired = await wire(logLevel);
      try {
        for (const [kind, line] of LINES) {
          const { expected, actual } = await bothWays(wired, kind, line);
          expect(actual.map(parsed)).toEqual(expected.map(parsed));
        }
      } finally {
        await wired.close();
      }
    },
  );

  it('should not build a line below the level', async () => {
    const wired = await wire('warn');
    try {
      let reads = 0;
      const line = {
        ...ORDINARY,
        get request_id() {
          reads += 1;
          return ORDINARY.request_id;
        },
      };
      const sink = wired.writer.for('relay');
      sink(line);
      expect(reads).toBe(0);
      expect(wired.written).toEqual([]);
      sink({ ...line, status: 404 });
      expect(wired.written).toHaveLength(1);
    } finally {
      await wired.close();
    }
  });

  it('should escape a path with a quote, a backslash and non-ASCII so it parses back', async () => {
    const wired = await wire('info');
    try {
      const path = '/api/a"b\\c/é/日本/\n\u2028\ud800';
      const [raw] = throughWriter(wired, 'relay', { ...ORDINARY, path, route: '"x"' });
      expect(raw.indexOf('\n')).toBe(raw.length - 1);
      expect(JSON.parse(raw)).toMatchObject({ path, route: '"x"' });
    } finally {
      await wired.close();
    }
  });

  it("should write a trusted proxy's request id (written unescaped) so it parses back", async () => {
    const wired = await wire('info');
    try {
      const request_id = 'Az09._-Az09._-';
      const [raw] = throughWriter(wired, 'relay', { ...ORDINARY, request_id });
      expect(JSON.parse(raw)).toMatchObject({ request_id });
    } finally {
      await wired.close();
    }
  });
});
