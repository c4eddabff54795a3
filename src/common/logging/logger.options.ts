import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../../config/app.config';
import { contextOf } from '../http/request-context';
import { requestIdRule } from '../http/request-id';
import { isoTime } from './log-time';
import { expressRoute, loggedPath } from './logged-path';
import {
  CLIENT_CLOSED,
  REQUEST_EVENT,
  REQUEST_LINE_MSG,
  RequestKind,
  RequestLine,
  requestLineLevel,
} from './request-line';

type ExpressRequest = IncomingMessage & {
  id: string;
  originalUrl?: string;
  route?: { path?: unknown };
};

/** The status of a request line: a request the browser left before any answer is 499. */
function loggedStatus(res: ServerResponse): number {
  return res.headersSent ? res.statusCode : CLIENT_CLOSED;
}

/**
 * An Express request's line (CONTRIBUTING.md section 10): the fields of RequestLine after `event`
 * and `kind`, in the order the RequestLineWriter of the fast paths writes them. A request the
 * browser left before any answer is logged as 499 (loggedStatus), as the relay logs it.
 */
function expressLine(
  req: ExpressRequest,
  res: ServerResponse,
  ms: number,
): RequestLine & { event: string; kind: RequestKind; trace_id?: string; span_id?: string } {
  const trace = contextOf(req)?.trace;
  return {
    event: REQUEST_EVENT,
    kind: 'express',
    method: req.method,
    path: loggedPath(req.originalUrl ?? req.url ?? ''),
    status: loggedStatus(res),
    ms,
    route: expressRoute(req),
    ...(trace ? { trace_id: trace.traceId, span_id: trace.spanId } : {}),
  };
}

/**
 * pino with secrets kept out by construction: requests are logged as method and path only (no
 * query string: it may carry an OAuth code or state; no headers: they carry the cookie), and the
 * paths where a secret could still appear are redacted. Request lines have one shape on every
 * path (request-line.ts: the fast paths write the same keys in the same order, `kind` says which
 * path), one `msg`, and their level follows the status. A 5xx line carries no error: expected
 * failures (an upstream 503) need no stack, and unexpected ones are logged with theirs by the
 * exception filter. `time` is ISO 8601 UTC, like the audit lines' `at`.
 */
export function loggerOptions(cfg: AppConfig, destination: DestinationStream): Params {
  return {
    pinoHttp: [
      {
        level: cfg.logLevel,
        timestamp: isoTime,
        // The request's context (bootstrap.ts) has set req.id, and X-Request-Id, on every request
        // a listener received; pino-http calls this only for a request made up without one.
        genReqId: requestIdRule(cfg.trustProxy),
        customAttributeKeys: { reqId: 'request_id', responseTime: 'ms' },
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({
            id: req.id,
            method: req.method,
            path: loggedPath(req.url),
          }),
          res: (res: { statusCode: number }) => ({ status: res.statusCode }),
          err: (err: Error & { code?: string }) => ({
            type: err.name,
            code: err.code,
            message: err.message,
            stack: err.stack,
          }),
        },
        redact: {
          paths: [
            '*.password',
            '*.old_password',
            '*.new_password',
            '*.verify_code',
            '*.token',
            '*.cookie',
            '*.authorization',
          ],
          censor: '[redacted]',
        },
        customLogLevel: (req, res) =>
          requestLineLevel(
            loggedStatus(res),
            loggedPath((req as ExpressRequest).originalUrl ?? req.url ?? ''),
          ),
        customSuccessObject: (req, res, val: { ms: number }) =>
          expressLine(req as ExpressRequest, res, val.ms),
        customErrorObject: (req, res, _err, val: { ms: number }) =>
          expressLine(req as ExpressRequest, res, val.ms),
        // pino-http's own messages tell success, error and abort apart; the status says that.
        customSuccessMessage: () => REQUEST_LINE_MSG,
        customErrorMessage: () => REQUEST_LINE_MSG,
        quietReqLogger: true,
        quietResLogger: true,
      },
      destination,
    ],
  };
}

/** The request's id, as its context set it on `req.id` (where pino-http reads it too). */
export function requestIdOf(req: IncomingMessage): string {
  const id = (req as IncomingMessage & { id?: unknown }).id;
  return typeof id === 'string' ? id : '';
}
