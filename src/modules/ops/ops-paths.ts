import { PROBE_PATHS } from '../../common/logging/request-line';
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
