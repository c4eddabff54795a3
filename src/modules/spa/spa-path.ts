import { extname } from 'node:path';
import { canonicalPath } from '../../common/http/canonical-path';
import { isOpsPath } from '../ops/ops-paths';

/** What a request path asks of the SPA. */
export type SpaTarget =
  /** Not the SPA's: the gateway's own routes (Express's router answers, or 404s, as before). */
  | { kind: 'pass' }
  /** A spelling that could climb out of the directory, or names a hidden file: refused as 404. */
  | { kind: 'refuse' }
  /** A file under the directory, relative (forward slashes); `index` when only a route. */
  | { kind: 'file'; rel: string; hasExtension: boolean };

/** The gateway's own prefixes, matched on the canonical path (lower case). */
const GATEWAY_PATH = /^\/(auth|api|admin)(\/|$)/;

/** Percent-escapes of `/`, `\` and NUL: a segment must never smuggle a separator past the split. */
const ENCODED_SEPARATOR = /%(2f|5c|00)/i;

/**
 * Sorts a request path (BASE_PATH already removed, query already cut) into the gateway's, refused
 * or the SPA's. The gateway's paths are recognised in every spelling Express or a proxy would
 * serve as them (the canonical path: `/AUTH/x`, `/%61uth/x`, `//metrics`). For the SPA the checks
 * run on the decoded path, so `%2e%2e` is `..`; a segment that is `.`, `..` or starts with a dot,
 * a backslash anywhere, or an encoded separator is refused outright rather than normalised, so no
 * spelling reaches the file system. Symlinks are the file resolver's to check (spa-files.ts).
 */
export function spaTarget(path: string): SpaTarget {
  const canonical = canonicalPath(path);
  if (GATEWAY_PATH.test(canonical) || isOpsPath(canonical)) return { kind: 'pass' };
  if (ENCODED_SEPARATOR.test(path)) return { kind: 'refuse' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return { kind: 'refuse' };
  }
  if (decoded.includes('\\') || decoded.includes('\0')) return { kind: 'refuse' };
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s.startsWith('.'))) return { kind: 'refuse' };
  const rel = segments.join('/');
  const last = segments.at(-1) ?? '';
  return { kind: 'file', rel, hasExtension: extname(last) !== '' };
}

/**
 * A content hash in the file name, as bundlers emit: a `.` or `-` then 8+ characters of hex or
 * base64url with at least one digit, before the extension (`app.3f9a1c2b.js`,
 * `index-B4x9Qz1_.js`, `main.3f9a1c2b.chunk.js`). A plain word (`my-component.js`) has no digit.
 */
const HASHED_NAME = /[.-](?=[A-Za-z0-9_]*\d)[A-Za-z0-9_]{8,}(\.chunk)?\.[A-Za-z0-9]+$/;

/**
 * Whether a file's content is fixed by its name, so browsers may keep it a year without asking:
 * anything under `assets/` (Vite's output directory, every file in it hashed) or a hashed name.
 */
export function isHashedAsset(rel: string): boolean {
  return rel.startsWith('assets/') || HASHED_NAME.test(rel.slice(rel.lastIndexOf('/') + 1));
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
};

/** The Content-Type of a file by its extension; unknown ones are bytes (nosniff is on). */
export function contentTypeOf(rel: string): string {
  return CONTENT_TYPES[extname(rel).toLowerCase()] ?? 'application/octet-stream';
}
