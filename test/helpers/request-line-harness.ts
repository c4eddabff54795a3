import { Injectable, Logger, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test, TestingModule } from '@nestjs/testing';
import { Logger as NestPinoLogger, Params, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import pinoHttp, { Options } from 'pino-http';
import { appConfig } from '../../src/config/app.config';
import { appLoggerModule } from '../../src/common/logging/app-logger.module';
import { LOG_DESTINATION } from '../../src/common/logging/log-destination.module';
import { BoundRequestLine, RequestLineWriter } from '../../src/common/logging/request-line-writer';

/**
 * Wiring for the request-line writer spec: the gateway's logging (nestjs-pino behind Nest's
 * Logger, and the RequestLineWriter) writing to memory, and a pino-http server as Express's line.
 */

/** A fast path's stand-in: a provider of another module, as the relay is, gets the writer. */
@Injectable()
class FastPath {
  constructor(readonly writer: RequestLineWriter) {}
}

@Module({ providers: [FastPath] })
class FastPathModule {}

export interface Wired {
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
export async function wire(logLevel: string): Promise<Wired> {
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
export async function throughExpress(wired: Wired, line: BoundRequestLine): Promise<string[]> {
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
export function wouldLog(wired: Wired, line: BoundRequestLine): boolean {
  const before = wired.written.length;
  wired.writer.for('relay')(line);
  const wrote = wired.written.length > before;
  wired.written.splice(before);
  return wrote;
}

/** Writes `line` with the writer; returns what reached the destination. */
export function throughWriter(wired: Wired, kind: WriterKind, line: BoundRequestLine) {
  const from = wired.written.length;
  wired.writer.for(kind)(line);
  return wired.written.slice(from);
}

export type WriterKind = Parameters<RequestLineWriter['for']>[0];
