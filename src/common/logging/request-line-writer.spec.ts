import { Injectable, Logger, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { hostname } from 'node:os';
import type { DestinationStream } from 'pino';
import { appConfig } from '../../config/app.config';
import { appLoggerModule } from './app-logger.module';
import { LOG_DESTINATION } from './log-destination.module';
import { requestLineLevel } from './request-line';
import { BoundRequestLine, RequestLineWriter } from './request-line-writer';

/** A fast path's stand-in: a provider of another module, as the relay is, gets the writer. */
@Injectable()
class FastPath {
  constructor(readonly writer: RequestLineWriter) {}
}

@Module({ providers: [FastPath] })
class FastPathModule {}

interface Wired {
  /** Everything written to the log destination, one string per write. */
  written: string[];
  writer: RequestLineWriter;
  close(): Promise<void>;
}

/**
 * The logging of AppModule at `logLevel`, writing to memory: nestjs-pino (behind Nest's Logger,
 * as bootstrap.ts sets it up) and the RequestLineWriter, which a provider of another module gets
 * from the global LogDestinationModule, share one destination.
 */
async function wire(logLevel: string): Promise<Wired> {
  const written: string[] = [];
  const destination: DestinationStream = { write: (s: string) => void written.push(s) };
  // nestjs-pino keeps its first pino for the process; each test wants its own level.
  __resetOutOfContextForTests();
  const saved = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = logLevel;
  let moduleRef: TestingModule;
  try {
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
        appLoggerModule(),
        FastPathModule,
      ],
    })
      .overrideProvider(LOG_DESTINATION)
      .useValue(destination)
      .compile();
  } finally {
    if (saved === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved;
  }
  Logger.overrideLogger(moduleRef.get(NestPinoLogger));
  return { written, writer: moduleRef.get(FastPath).writer, close: () => moduleRef.close() };
}

/**
 * Writes `line` the way any other Nest code logs (Nest Logger, nestjs-pino, pino with its
 * options), at the request line's level: the reference; returns what reached the destination.
 */
function throughNest(wired: Wired, context: string, event: string, line: BoundRequestLine) {
  const from = wired.written.length;
  const level = requestLineLevel(line.status, line.path);
  new Logger(context)[level === 'info' ? 'log' : level]({ event, ...line });
  return wired.written.slice(from);
}

/** Writes `line` with the writer; returns what reached the destination. */
function throughWriter(wired: Wired, context: string, event: string, line: BoundRequestLine) {
  const from = wired.written.length;
  wired.writer.for(context, event)(line);
  return wired.written.slice(from);
}

/** A written line without its time, the one field two writes cannot share. */
function parsed(raw: string): Record<string, unknown> {
  expect(raw.endsWith('}\n')).toBe(true);
  expect(raw.indexOf('\n')).toBe(raw.length - 1);
  const { time, ...rest } = JSON.parse(raw) as Record<string, unknown>;
  expect(typeof time).toBe('number');
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

const LINES: ReadonlyArray<[string, string, BoundRequestLine]> = [
  ['SessionView', 'session_view', ORDINARY],
  [
    'Relay',
    'relay',
    { ...ORDINARY, method: 'POST', path: '/api/orders/1', status: 201, ms: 12, route: 'orders' },
  ],
  ['Relay', 'relay', { ...ORDINARY, path: '/api/nope', status: 404, ms: 0, route: null }],
  ['Relay', 'relay', { ...ORDINARY, path: '/api/orders', status: 503, ms: 30001, route: 'orders' }],
  ['Relay', 'relay', { ...ORDINARY, method: undefined, path: '/api/x', route: 'x' }],
  ['Relay', 'relay', { ...ORDINARY, path: '/healthz', route: null }],
  ['Relay', 'relay', { ...ORDINARY, path: '/api/a"b\\c/é/日本/\u2028\ud800', route: 'a"b' }],
];

describe('RequestLineWriter', () => {
  afterEach(() => {
    Logger.overrideLogger(false);
  });

  it('should write what nestjs-pino writes for the same line, keys in the same order', async () => {
    const wired = await wire('trace');
    try {
      for (const [context, event, line] of LINES) {
        const before = Date.now();
        const expected = throughNest(wired, context, event, line);
        const actual = throughWriter(wired, context, event, line);
        expect(expected).toHaveLength(1);
        expect(actual).toHaveLength(1);
        expect(parsed(actual[0])).toEqual(parsed(expected[0]));
        expect(Object.keys(JSON.parse(actual[0]) as object)).toEqual(
          Object.keys(JSON.parse(expected[0]) as object),
        );
        const time = (JSON.parse(actual[0]) as { time: number }).time;
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
      const [raw] = throughWriter(wired, 'SessionView', 'session_view', ORDINARY);
      expect(Object.keys(JSON.parse(raw) as object)).toEqual([
        'level',
        'time',
        'pid',
        'hostname',
        'context',
        'event',
        'request_id',
        'method',
        'path',
        'status',
        'ms',
        'route',
      ]);
      expect(parsed(raw)).toEqual({
        level: 30,
        pid: process.pid,
        hostname: hostname(),
        context: 'SessionView',
        event: 'session_view',
        ...ORDINARY,
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
          JSON.parse(throughWriter(wired, 'Relay', 'relay', { ...ORDINARY, ...line })[0]) as {
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
        for (const [context, event, line] of LINES) {
          const expected = throughNest(wired, context, event, line).map(parsed);
          const actual = throughWriter(wired, context, event, line).map(parsed);
          expect(actual).toEqual(expected);
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
      const sink = wired.writer.for('Relay', 'relay');
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
      const [raw] = throughWriter(wired, 'Relay', 'relay', { ...ORDINARY, path, route: '"x"' });
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
      const [raw] = throughWriter(wired, 'Relay', 'relay', { ...ORDINARY, request_id });
      expect(JSON.parse(raw)).toMatchObject({ request_id });
    } finally {
      await wired.close();
    }
  });
});
