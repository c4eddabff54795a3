import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { METHODS } from 'node:http';
import { hostname } from 'node:os';
import pino, { DestinationStream } from 'pino';
import { appConfig } from '../../config/app.config';
import { LOG_DESTINATION } from './log-destination';
import { isoTime } from './log-time';
import {
  REQUEST_EVENT,
  REQUEST_LINE_MSG,
  RequestKind,
  RequestLine,
  RequestLineLevel,
  requestLineLevel,
} from './request-line';

/** pino's numbers for the levels a request line can have. */
const LEVEL_VALUE: Readonly<Record<RequestLineLevel, number>> = {
  debug: pino.levels.values.debug,
  info: pino.levels.values.info,
  warn: pino.levels.values.warn,
  error: pino.levels.values.error,
};

/**
 * A request line as the fast paths hand it over; the kind is bound.
 * `request_id` is written unescaped: it comes from requestIdRule, which gives only a UUID or
 * a trusted proxy's id of [A-Za-z0-9._-].
 */
export type BoundRequestLine = RequestLine & { request_id: string };

/** Writes one request line of a bound kind. */
export type RequestLineSink = ((line: BoundRequestLine) => void) & { readonly kind: RequestKind };

/** The methods Node's parser accepts (it refuses others), as JSON: no escaping per line. */
const METHOD_JSON: ReadonlyMap<string, string> = new Map(
  METHODS.map((m) => [m, JSON.stringify(m)]),
);

/** Distinct routes remembered per writer: they come from configuration, so this is never hit. */
const ROUTE_CACHE_LIMIT = 1024;

/** A number as pino writes it: JSON has no NaN or Infinity, so those become null. */
function jsonNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

/**
 * Writes the request lines of the paths that answer ahead of Express (the relay, the session
 * view) straight to the log destination pino writes to. The line has a fixed shape and carries
 * nothing secret, so it needs neither pino's redaction nor the Nest and nestjs-pino layers, which
 * cost several percent of the relay's CPU per request. The line is the one pino-http writes for
 * an Express request (logger.options.ts), keys in the same order, only `kind` differs: level,
 * time, pid, hostname, request_id, event, kind, method, path, status, ms, route, msg. LOG_LEVEL
 * filters it as it filters pino, and a line below the level is not built at all.
 */
@Injectable()
export class RequestLineWriter {
  /** pino's threshold for LOG_LEVEL (`silent` is Infinity: nothing is written). */
  private readonly threshold: number;
  /** `,"pid":…,"hostname":…`, as pino's base bindings. */
  private readonly bindings: string;

  constructor(
    @Inject(LOG_DESTINATION) private readonly destination: DestinationStream,
    @Inject(appConfig.KEY) app: ConfigType<typeof appConfig>,
  ) {
    // LOG_LEVEL is validated against pino's names (app.config.ts); pino's `silent` has no number.
    this.threshold = app.logLevel === 'silent' ? Infinity : pino.levels.values[app.logLevel];
    this.bindings = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;
  }

  /**
   * A writer for one kind of request (e.g. "relay"): everything constant is serialized here, once.
   * @example this.requestLine = writer.for('relay'); … this.requestLine({ request_id, … });
   */
  for(kind: Exclude<RequestKind, 'express'>): RequestLineSink {
    const { destination, threshold } = this;
    const head = `${this.bindings},"request_id":"`;
    const middle = `","event":${JSON.stringify(REQUEST_EVENT)},"kind":${JSON.stringify(kind)}`;
    const tail = `,"msg":${JSON.stringify(REQUEST_LINE_MSG)}}\n`;
    const starts: Record<RequestLineLevel, string> = {
      debug: `{"level":${LEVEL_VALUE.debug}`,
      info: `{"level":${LEVEL_VALUE.info}`,
      warn: `{"level":${LEVEL_VALUE.warn}`,
      error: `{"level":${LEVEL_VALUE.error}`,
    };
    // The route is a configured name or template: a few strings, escaped once each.
    const routes = new Map<string, string>();
    const routeJson = (route: string): string => {
      let json = routes.get(route);
      if (json === undefined) {
        json = JSON.stringify(route);
        if (routes.size < ROUTE_CACHE_LIMIT) routes.set(route, json);
      }
      return json;
    };
    const sink = (line: BoundRequestLine): void => {
      const level = requestLineLevel(line.status, line.path);
      if (LEVEL_VALUE[level] < threshold) return;
      const { method } = line;
      // The path is the one value escaped per line: the request chose it.
      destination.write(
        starts[level] +
          isoTime() +
          head +
          line.request_id +
          middle +
          // pino leaves out undefined values; Node's parser always sets a method.
          (method === undefined
            ? ''
            : ',"method":' + (METHOD_JSON.get(method) ?? JSON.stringify(method))) +
          ',"path":' +
          JSON.stringify(line.path) +
          ',"status":' +
          jsonNumber(line.status) +
          ',"ms":' +
          jsonNumber(line.ms) +
          ',"route":' +
          (line.route === null ? 'null' : routeJson(line.route)) +
          // Both ids are lower-case hex, as OpenTelemetry makes them: written unescaped.
          (line.trace
            ? `,"trace_id":"${line.trace.traceId}","span_id":"${line.trace.spanId}"`
            : '') +
          tail,
      );
    };
    return Object.assign(sink, { kind });
  }
}
