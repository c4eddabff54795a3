import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AuditLog } from '../audit/audit-log';
import { AppError, ErrorCode } from '../errors/app-error';
import type { MessageId } from '../errors/messages';
import { toErrorResponse, writeErrorResponse } from '../errors/error-response';
import { requestIdAssigner } from '../logging/logger.options';
import { csrfViolation } from '../security/csrf';
import { applySecurityHeaders, SECURITY_HEADERS } from '../security/security-headers';
import { sanitizeForwardedFor, TrustProxy } from './client-ip';

/** Paths whose unsafe methods need the CSRF header (the relay checks /api itself). */
const CSRF_SCOPE = /^\/auth(\/|$|\?)/;

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
  ) {
    this.requestId = requestIdAssigner(trustProxy);
  }

  /** Prepares the request; true when it has answered it itself (Express must not see it). */
  answered(req: IncomingMessage, res: ServerResponse): boolean {
    const id = this.requestId(req, res);
    (req as IncomingMessage & { id?: string }).id = id;
    applySecurityHeaders(res);
    sanitizeForwardedFor(req);
    const url = req.url ?? '/';
    // `OPTIONS *` and absolute-form targets: no route is ever there.
    if (!url.startsWith('/')) return this.refuse(req, res, id, 'NOT_FOUND');
    const path = url.split('?')[0];
    if (decodes(path)) return false;
    const method = req.method ?? 'GET';
    const reason = CSRF_SCOPE.test(path)
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
    const response = toErrorResponse(
      new AppError(code, message),
      id,
      req.headers['accept-language'],
    );
    writeErrorResponse(res, response);
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
