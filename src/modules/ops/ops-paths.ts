import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../common/errors/app-error';
import { toErrorResponse, writeErrorResponse } from '../../common/errors/error-response';
import { requestIdOf } from '../../common/logging/logger.options';
import { PROBE_PATHS } from '../../common/logging/request-line';
import { applySecurityHeaders } from '../../common/security/security-headers';
import { DOCS_PATH, DOCUMENT_PATH } from '../docs/docs.setup';

/**
 * True for the paths that belong to operators rather than browsers: the probes, the metrics and
 * the API documentation (Swagger UI's own files live under `/docs/`). `path` is the request's
 * canonical path (`canonicalPath`), so every spelling Express or a proxy in front would serve
 * as one of them (`/METRICS`, `/healthz/`, `/%6detrics`, `//docs`) is one of them here too.
 */
export function isOpsPath(path: string): boolean {
  return (
    PROBE_PATHS.has(path) ||
    path === DOCUMENT_PATH ||
    path === DOCS_PATH ||
    path.startsWith(`${DOCS_PATH}/`)
  );
}

/** The contract's 404, for a path the listener that received it does not serve. */
export function answerNotFound(req: IncomingMessage, res: ServerResponse): void {
  applySecurityHeaders(res);
  // The front door names requests on the main port; the ops listener has none, so name it here.
  const id = requestIdOf(req) || randomUUID();
  res.setHeader('X-Request-Id', id);
  writeErrorResponse(
    res,
    toErrorResponse(new AppError('NOT_FOUND'), id, req.headers['accept-language']),
  );
}
