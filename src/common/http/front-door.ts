import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TrustProxy } from '../../config/trust-proxy';
import type { AuditLog } from '../audit/audit-log';
import { AppError, ErrorCode } from '../errors/app-error';
import type { MessageId } from '../errors/messages';
import { toErrorResponse, writeErrorResponse } from '../errors/error-response';
import { loggedPath, requestIdAssigner } from '../logging/logger.options';
import type { RequestLineSink } from '../logging/request-line-writer';
import { csrfViolation } from '../security/csrf';
import { applySecurityHeaders, SECURITY_HEADERS } from '../security/security-headers';
import { isAtOrUnder } from './canonical-path';
import { sanitizeForwardedFor } from './client-ip';

/** Where unsafe methods need the CSRF header (the relay checks /api itself), as a canonical path. */
const CSRF_SCOPE = '/auth';

/**
 * What every request bound for Express gets before Express sees it, so that even the answers
 * Express or its router would give on their own (a malformed percent-escape, `OPTIONS *`, a
 * body-parser failure, a 404) carry the security headers and a request id: the id (kept from a
 * trusted proxy only), the headers, X-Forwarded-For without entries that are not addresses, and
 * a contract error for request targets no route can take, after the CSRF check.
 */
export class FrontDoor {
  private readonly requestId: (req: IncomingMessage, res: ServerResponse) => string;

  constructor(
    trustProxy: TrustProxy,
    private readonly publicOrigin: string,
    private readonly audit: AuditLog,
    private readonly requestLine: RequestLineSink,
  ) {
    this.requestId = requestIdAssigner(trustProxy);
  }

  /**
   * Answers an HTTP/1.1 request without `Host` (RFC 9112 section 3.2: 400), as Node would with
   * its `requireHostHeader`, which the servers turn off so that the answer is the contract's JSON
   * with the security headers, a request id and a request line rather than a bare 400. Checked
   * first on every listener, ahead of the relay and the session view. True when it answered.
   */
  refusedWithoutHost(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.headers.host !== undefined || req.httpVersionMajor !== 1 || req.httpVersionMinor !== 1)
      return false;
    const started = performance.now();
    const id = this.requestId(req, res);
    applySecurityHeaders(res);
    // Its body, if any, is never read, so the connection cannot carry another request (Node
    // closes it too).
    res.setHeader('Connection', 'close');
    this.refuse(req, res, id, 'VALIDATION_FAILED', 'NO_HOST');
    this.requestLine({
      request_id: id,
      method: req.method,
      path: loggedPath(req.url ?? ''),
      status: res.statusCode,
      ms: Math.round(performance.now() - started),
      route: null,
    });
    return true;
  }

  /**
   * Prepares the request; true when it has answered it itself (Express must not see it). `path`
   * is the request's canonical path (`canonicalPath`).
   */
  answered(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const id = this.requestId(req, res);
    (req as IncomingMessage & { id?: string }).id = id;
    applySecurityHeaders(res);
    sanitizeForwardedFor(req);
    const url = req.url ?? '/';
    // `OPTIONS *` and absolute-form targets: no route is ever there.
    if (!url.startsWith('/')) return this.refuse(req, res, id, 'NOT_FOUND');
    if (decodes(url.split('?')[0])) return false;
    const method = req.method ?? 'GET';
    const reason = isAtOrUnder(path, CSRF_SCOPE)
      ? csrfViolation(method, req.headers, this.publicOrigin)
      : null;
    if (reason) {
      this.audit.record('csrf_rejected', { reason, method, path: '[malformed]' });
      return this.refuse(req, res, id, 'CSRF_REJECTED');
    }
    return this.refuse(req, res, id, 'VALIDATION_FAILED', 'PATH_INVALID');
  }

  private refuse(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    code: ErrorCode,
    message?: MessageId,
  ): true {
    const language = req.headers['accept-language'];
    writeErrorResponse(res, toErrorResponse(new AppError(code, message), id, language));
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
  const id = randomUUID();
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
    ...SECURITY_HEADERS.map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
