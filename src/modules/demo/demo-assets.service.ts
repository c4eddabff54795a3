import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { demoConfig } from '../../config/demo.config';
import { ONEACCESS_ENDPOINT, OneAccessEndpoint } from '../oneaccess/oneaccess-endpoint';

export interface DemoAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Where `npm run build` writes the bundle: `dist/demo`, beside the compiled gateway
 * (dist/modules/demo -> dist/demo), or, when the gateway runs from its sources (tests), the
 * repository's dist/demo.
 */
const BUNDLE_DIRS = [
  join(__dirname, '..', '..', 'demo'),
  join(__dirname, '..', '..', '..', 'dist', 'demo'),
];

/** Shown instead of the page while the bundle is missing (e.g. `start:dev`, whose compile empties dist). */
const MISSING_BUNDLE =
  'The demo page is not built yet. Run `npm run build:demo` (or `npm run build`), then reload.\n';

/**
 * The demo SPA's files (issue 7), read from the bundle `npm run build` makes and served from
 * memory: a fixed set, so no request path ever reaches the file system. While the bundle is
 * missing, each request for the page looks again, so building it while the gateway runs is
 * enough. With the embedded simulator, the page is told its address so that a person can open
 * the SMS outbox (no real SMS is sent in development).
 */
@Injectable()
export class DemoAssets {
  private readonly logger = new Logger('Demo');
  private files = new Map<string, DemoAsset>();
  private loaded = false;

  constructor(
    @Inject(ONEACCESS_ENDPOINT) private readonly endpoint: OneAccessEndpoint,
    @Inject(demoConfig.KEY) cfg: ConfigType<typeof demoConfig>,
  ) {
    if (cfg.enabled && !this.load()) {
      this.logger.warn(`demo bundle not found in ${BUNDLE_DIRS[0]}: run npm run build:demo`);
    }
  }

  /** The asset for a request path, or undefined for any other path. */
  find(path: string): DemoAsset | undefined {
    if (!this.loaded) this.load();
    return this.files.get(path) ?? (this.loaded || path !== '/' ? undefined : MISSING_PAGE);
  }

  /** Reads the bundle; false while it is not there. */
  private load(): boolean {
    const dir = BUNDLE_DIRS.find((d) => existsSync(join(d, 'index.html')));
    if (!dir) return false;
    const files = new Map<string, DemoAsset>();
    for (const name of readdirSync(dir)) {
      const type = CONTENT_TYPES[extname(name)];
      if (!type) continue;
      let body = readFileSync(join(dir, name));
      if (name === 'index.html') {
        body = Buffer.from(withSimulator(body.toString('utf8'), this.endpoint));
        files.set('/', asset(body, type));
      }
      files.set(`/${name}`, asset(body, type));
    }
    this.files = files;
    this.loaded = true;
    return true;
  }
}

function asset(body: Buffer, contentType: string): DemoAsset {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, contentType, etag };
}

const MISSING_PAGE = asset(Buffer.from(MISSING_BUNDLE), 'text/plain; charset=utf-8');
/** Tells the page where the embedded simulator is (for the SMS outbox link), and nothing else. */
function withSimulator(html: string, endpoint: OneAccessEndpoint): string {
  if (!endpoint.embedded) return html;
  const meta = `<meta name="oneaccess-simulator" content="${escapeAttribute(endpoint.baseUrl)}">`;
  return html.replace(/\n(\s*)<\/head>/, `\n    ${meta}\n$1</head>`);
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
