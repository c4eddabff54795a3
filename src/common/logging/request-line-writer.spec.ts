import { Injectable, Logger, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { Logger as NestPinoLogger, Params, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { DestinationStream } from 'pino';
import pinoHttp, { Options } from 'pino-http';
import { appConfig } from '../../config/app.config';
import { appLoggerModule } from './app-logger.module';
import { LOG_DESTINATION } from './log-destination.module';
import { REQUEST_LINE_KEYS } from './request-line';
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
  /** An HTTP server whose requests pino-http logs with the gateway's options (Express's line). */
  server: Server;
  close(): Promise<void>;
}

/** What the reference server answers: the line's status, route template and logged path. */
const pending = new Map<string, BoundRequestLine>();

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
  // The pino-http middleware nestjs-pino puts in front of Express, from the same options.
  const [options, stream] = moduleRef.get<Params>(PARAMS_PROVIDER_TOKEN).pinoHttp as [
    Options,
    DestinationStream,
  ];
  const logRequest = pinoHttp(options, stream);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const line = pending.get(req.headers['x-line'] as string)!;
    // As Express has them after routing: the id the front door gave, the original path, the route.
    Object.assign(req, {
      id: line.request_id,
      originalUrl: line.path,
      ...(line.route === null ? {} : { route: { path: line.route } }),
    });
    logRequest(req, res);
    res.statusCode = line.status;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    written,
    writer: moduleRef.get(FastPath).writer,
    server,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await moduleRef.close();
    },
  };
}

/**
 * The line pino-http writes for an Express request with `line`'s values, through the gateway's
 * logger options: the reference. Returns what reached the destination, once the answer is done.
 */
async function throughExpress(wired: Wired, line: BoundRequestLine): Promise<string[]> {
  const from = wired.written.length;
  const key = String(pending.size + 1);
  pending.set(key, line);
  const { port } = wired.server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: line.method, path: '/', headers: { 'x-line': key } },
      (res) => res.resume().on('end', resolve),
    );
    req.on('error', reject).end();
  });
  // pino-http writes on the response's 'finish', before or after the client has read it.
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const lines = wired.written.slice(from);
    if (lines.length > 0 || !wouldLog(wired, line)) return lines;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return wired.written.slice(from);
}

/** Whether a line at `line`'s level passes the level the module was wired with. */
function wouldLog(wired: Wired, line: BoundRequestLine): boolean {
  const before = wired.written.length;
  wired.writer.for('relay')(line);
  const wrote = wired.written.length > before;
  wired.written.splice(before);
  return wrote;
}

/** Writes `line` with the writer; returns what reached the destination. */
function throughWriter(wired: Wired, kind: WriterKind, line: BoundRequestLine) {
  const from = wired.written.length;
  wired.writer.for(kind)(line);
  return wired.written.slice(from);
}

type WriterKind = Parameters<RequestLineWriter['for']>[0];

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
