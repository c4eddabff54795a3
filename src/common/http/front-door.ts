import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AuditLog } from '../audit/audit-log';
import { recordCsrfRejected } from '../audit/request-audit';
import { AppError, ErrorCode } from '../errors/app-error';
import type { MessageId } from '../errors/messages';
import { toErrorResponse, writeErrorResponse } from '../errors/error-response';
import { loggedPath } from '../logging/logged-path';
import type { RequestLineSink } from '../logging/request-line-writer';
import { SECURITY_HEADER_LINES } from '../security/security-headers';
import { isAtOrUnder } from './canonical-path';
import type { RequestContext } from './request-context';
import { unreadRequestId } from './request-id';

/** Where unsafe methods need the CSRF header (the relay checks /api itself), as a canonical path. */
const CSRF_SCOPE = '/auth';

/**
 * What every request bound for Express gets before Express sees it, so that even the answers
 * Express or its router would give on their own (a malformed percent-escape, `OPTIONS *`, a
 * body-parser failure, a 404) carry the security headers and the request id (both from the
 * request's context), and a contract error for request targets no route can take, after the
 * CSRF check (the context's verdict).
 */
export class FrontDoor {
  constructor(
    private readonly audit: AuditLog,
    private readonly requestLine: RequestLineSink,
    /** The session id a request's cookie carries, if genuine (`SessionCookieReader`). */
    private readonly sessionOf: (req: IncomingMessage) => string | null,
  ) {}

  /**
   * Answers an HTTP/1.1 request without `Host` (RFC 9112 section 3.2: 400), as Node would with
   * its `requireHostHeader`, which the servers turn off so that the answer is the contract's JSON
   * with the security headers, a request id and a request line rather than a bare 400. Checked
   * first on every listener, ahead of the relay and the session view. True when it answered.
   */
  refusedWithoutHost(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): boolean {
    if (req.headers.host !== undefined || req.httpVersionMajor !== 1 || req.httpVersionMinor !== 1)
      return false;
    ctx.applyHeaders(res);
    // Its body, if any, is never read, so the connection cannot carry another request (Node
    // closes it too).
    res.setHeader('Connection', 'close');
    return this.refuse(req, res, ctx, 'VALIDATION_FAILED', 'NO_HOST');
  }

  /** Prepares the request; true when it has answered it itself (Express must not see it). */
  answered(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): boolean {
    ctx.attach();
    ctx.applyHeaders(res);
    const url = req.url ?? '/';
    // `OPTIONS *` and absolute-form targets: no route is ever there.
    if (!url.startsWith('/')) return this.refuse(req, res, ctx, 'NOT_FOUND');
    if (decodes(url.split('?')[0])) return false;
    if (isAtOrUnder(ctx.path, CSRF_SCOPE) && ctx.csrfViolation) {
      recordCsrfRejected(this.audit, ctx, this.sessionOf(req));
      return this.refuse(req, res, ctx, 'CSRF_REJECTED');
    }
    return this.refuse(req, res, ctx, 'VALIDATION_FAILED', 'PATH_INVALID');
  }

  /**
   * The contract's 404 for a path the listener that received it does not serve (the ops paths
   * on the main port with OPS_PORT set, everything else on the ops port).
   */
  notFound(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    ctx.applyHeaders(res);
    this.refuse(req, res, ctx, 'NOT_FOUND');
  }

  private refuse(
    req: IncomingMessage,
    res: ServerResponse,
    ctx: RequestContext,
    code: ErrorCode,
    message?: MessageId,
  ): true {
    const language = req.headers['accept-language'];
    writeErrorResponse(res, toErrorResponse(new AppError(code, message), ctx.id, language));
    // Express never sees it, so pino-http writes no line: the front door's own, in the one shape.
    ctx.writeLine(this.requestLine, res.statusCode, loggedPath(req.url ?? ''), null);
    return true;
  }
}

/** Whether every percent-escape of a path decodes (Express's router refuses it otherwise). */
function decodes(path: string): boolean {
  if (!path.includes('%')) return true;
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Node's own answer to a request it cannot parse (`clientError`: a malformed request line or
 * header, a body without framing), in the contract's shape with the security headers and a
 * request id, instead of a bare `400 Bad Request`. Headers too large stay 431.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const id = unreadRequestId();
  // As Node answers them: headers too large 431, headers or body too slow (SERVER_*_TIMEOUT_MS)
  // 408, anything else unreadable 400. The request was not read, so neither was its
  // Accept-Language: the answer is English.
  const [status, reason, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ([431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE'] as const)
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ([408, 'Request Timeout', 'REQUEST_TIMEOUT'] as const)
        : ([400, 'Bad Request', 'REQUEST_UNREADABLE'] as const);
  const response = toErrorResponse(new AppError('VALIDATION_FAILED', message), id);
  const body = JSON.stringify(response.body);
  const head = [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Language: ${response.language}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${id}`,
    ...SECURITY_HEADER_LINES,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
