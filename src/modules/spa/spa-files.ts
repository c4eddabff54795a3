import type { FileHandle } from 'node:fs/promises';
import { open, realpath } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { contentTypeOf, isHashedAsset } from './spa-path';

/** A year, the longest a browser keeps anything: a hashed name never changes content. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else (index.html above all) is revalidated on every use, so a deploy shows at once. */
const REVALIDATE = 'no-cache';

/** An open regular file inside the SPA directory. */
export interface SpaFile {
  /** The name asked for: decides the type and the caching. */
  rel: string;
  handle: FileHandle;
  size: number;
  mtime: Date;
  /** Set when the handle is a precompressed sibling of `rel` (`Content-Encoding`). */
  encoding?: string;
}

/**
 * Opens `rel` under `root` (a real path, from the configuration) when it is a regular file whose
 * real path, symlinks followed, is inside `root`; undefined otherwise (missing, a directory, or a
 * link leading out). The file is opened by its real path and checked through the open handle, so
 * a link swapped in between cannot redirect the read.
 */
export async function openSpaFile(root: string, rel: string): Promise<SpaFile | undefined> {
  let real: string;
  try {
    real = await realpath(join(root, rel));
  } catch {
    return undefined;
  }
  if (!real.startsWith(root + sep)) return undefined;
  const handle = await open(real, 'r').catch(() => undefined);
  if (!handle) return undefined;
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    return undefined;
  }
  return { rel, handle, size: stat.size, mtime: stat.mtime };
}

/** Precompressed siblings a build may emit (`app.js.br`, `app.js.gz`), best first. */
const PRECOMPRESSED: ReadonlyArray<readonly [encoding: string, suffix: string]> = [
  ['br', '.br'],
  ['gzip', '.gz'],
];

/** Whether `Accept-Encoding` takes `encoding` (named with a q above 0, or `*`). */
function accepts(header: string, encoding: string): boolean {
  let star = false;
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    const wanted = !q || Number(q[1]) > 0;
    if (name.trim() === encoding) return wanted;
    if (name.trim() === '*') star = wanted;
  }
  return star;
}

/**
 * The precompressed sibling of `file` the browser accepts, opened under the same rules (inside
 * the directory, a regular file), standing for `file` (its name decides type and caching); `file`
 * itself is closed then. Undefined when there is none: `file` is sent as it is.
 */
export async function openPrecompressed(
  root: string,
  file: SpaFile,
  acceptEncoding: string | undefined,
): Promise<SpaFile | undefined> {
  if (!acceptEncoding) return undefined;
  for (const [encoding, suffix] of PRECOMPRESSED) {
    if (!accepts(acceptEncoding, encoding)) continue;
    const variant = await openSpaFile(root, file.rel + suffix);
    if (!variant) continue;
    await file.handle.close();
    return { ...variant, rel: file.rel, encoding };
  }
  return undefined;
}

/** A validator that changes whenever the file is replaced or rewritten. */
function etagOf(file: SpaFile): string {
  const suffix = file.encoding ? `-${file.encoding}` : '';
  return `W/"${file.size.toString(16)}-${Math.floor(file.mtime.getTime()).toString(16)}${suffix}"`;
}

/** Whether the browser's copy is current (If-None-Match wins over If-Modified-Since, RFC 9110). */
function notModified(req: IncomingMessage, etag: string, mtime: Date): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    const weak = (t: string) => t.trim().replace(/^W\//, '');
    return inm.trim() === '*' || inm.split(',').some((t) => weak(t) === weak(etag));
  }
  const ims = Date.parse(req.headers['if-modified-since'] ?? '');
  return !Number.isNaN(ims) && Math.floor(mtime.getTime() / 1000) * 1000 <= ims;
}

/**
 * Answers with the file (GET) or its headers (HEAD), or 304 when the browser's copy is current,
 * and closes the handle. The security headers are already on `res`; the caller set the policy.
 */
export function sendSpaFile(req: IncomingMessage, res: ServerResponse, file: SpaFile): void {
  const etag = etagOf(file);
  res.setHeader('Cache-Control', isHashedAsset(file.rel) ? IMMUTABLE : REVALIDATE);
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', file.mtime.toUTCString());
  // A precompressed sibling may answer the same URL: caches keep one copy per encoding.
  res.setHeader('Vary', 'Accept-Encoding');
  if (notModified(req, etag, file.mtime)) {
    res.statusCode = 304;
    res.end();
    void file.handle.close();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', contentTypeOf(file.rel));
  res.setHeader('Content-Length', file.size);
  if (file.encoding) res.setHeader('Content-Encoding', file.encoding);
  if (req.method === 'HEAD') {
    res.end();
    void file.handle.close();
    return;
  }
  const stream = file.handle.createReadStream({ autoClose: true });
  // A read that fails after the headers left cannot become an error answer: cut the connection.
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}
