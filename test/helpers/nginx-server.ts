import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { locate } from '../../scripts/test-prerequisites';
import { freePort } from './free-port';
import { rawGet } from './raw-http';
import { waitFor } from './wait-for';

/**
 * nginx as `npm test`'s prerequisite step finds it: NGINX_BIN, PATH, or a well-known path
 * (Debian's /usr/sbin, Homebrew's prefixes).
 */
export const NGINX = locate('nginx');
/**
 * The file types the recipes' `include mime.types` means: the one beside nginx's own
 * configuration (Debian's /etc/nginx, Homebrew's etc/nginx).
 */
const NGINX_MIME_TYPES = mimeTypesBeside(NGINX);

function mimeTypesBeside(nginx: string | undefined): string {
  const fallback = '/etc/nginx/mime.types';
  if (!nginx) return fallback;
  // `nginx -V` names the configuration it was built for, on stderr.
  const built = spawnSync(nginx, ['-V'], { encoding: 'utf8' });
  const confPath = /--conf-path=(\S+)/.exec(`${built.stderr}${built.stdout}`)?.[1];
  return confPath ? join(dirname(confPath), 'mime.types') : fallback;
}

/**
 * A recipe from deploy/nginx as a test runs it: the listen address becomes 127.0.0.1:<free
 * port> without TLS, and the upstream's `server 127.0.0.1:3000` the gateway's port. Everything
 * else is used as written, so the test proves the file operators copy.
 */
export function renderRecipe(
  recipe: string,
  listenPort: number,
  gatewayPort: number,
  spaDir?: string,
): string {
  let out = recipe
    .replace(/^\s*listen\s+443[^;]*;/m, `    listen 127.0.0.1:${listenPort};`)
    .replace(/^\s*ssl_certificate(_key)?\s[^;]*;\n/gm, '')
    .replace(/server 127\.0\.0\.1:3000;/, `server 127.0.0.1:${gatewayPort};`);
  if (out.includes('ssl_') || !out.includes(`127.0.0.1:${gatewayPort}`))
    throw new Error('the recipe no longer has the lines the test swaps');
  if (spaDir !== undefined) {
    // The recipe's SPA directory (`alias /srv/portal-spa/;`) becomes the test's.
    if (!out.includes(SPA_DIR_IN_RECIPE)) throw new Error(`the recipe has no ${SPA_DIR_IN_RECIPE}`);
    out = out.split(SPA_DIR_IN_RECIPE).join(`${spaDir}/`);
  }
  return out;
}

/** Where deploy/nginx/portal-static.conf expects the SPA's files. */
const SPA_DIR_IN_RECIPE = '/srv/portal-spa/';

/**
 * A real nginx on a free loopback port, running `recipePath` (rendered by {@link renderRecipe})
 * in the foreground as a child process. Its pid file, logs and temp directories live in a
 * directory of its own, removed by `stop()`; nothing is written under /var.
 */
export class NginxServer {
  port = 0;
  dir = '';
  private child?: ChildProcess;
  private exited?: Promise<void>;
  private output = '';

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `spaDir`: the SPA's files, for a recipe where nginx serves them (portal-static.conf). */
  async start(recipePath: string, gatewayPort: number, spaDir?: string): Promise<this> {
    if (!NGINX) throw new Error('nginx not found: install it, or set NGINX_BIN to its path');
    this.port = await freePort();
    this.dir = await mkdtemp(join(tmpdir(), 'bff-nginx-'));
    // Run as root, nginx's workers drop to `nobody`, which must reach the temp directories.
    await chmod(this.dir, 0o755);
    const recipe = renderRecipe(await readFile(recipePath, 'utf8'), this.port, gatewayPort, spaDir);
    await writeFile(join(this.dir, 'site.conf'), recipe);
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
      .map((t) => `  ${t}_temp_path ${join(this.dir, t)};`)
      .join('\n');
    await writeFile(
      join(this.dir, 'nginx.conf'),
      [
        `pid ${join(this.dir, 'nginx.pid')};`,
        `error_log ${join(this.dir, 'error.log')} warn;`,
        'worker_processes 1;',
        'events { worker_connections 256; }',
        'http {',
        // As Debian's nginx.conf: the recipes rely on file types (a recipe serving files).
        `  include ${NGINX_MIME_TYPES};`,
        '  default_type application/octet-stream;',
        `  access_log ${join(this.dir, 'access.log')};`,
        temp,
        `  include ${join(this.dir, 'site.conf')};`,
        '}',
        '',
      ].join('\n'),
    );
    const child = spawn(
      NGINX,
      [
        '-p',
        this.dir,
        '-c',
        join(this.dir, 'nginx.conf'),
        '-e',
        join(this.dir, 'error.log'),
        '-g',
        'daemon off;',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.stdout.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
          return (await rawGet(this.url, '/portal')).status === 301;
        },
        10_000,
        'nginx to listen',
      );
    } catch (err) {
      const log = await readFile(join(this.dir, 'error.log'), 'utf8').catch(() => '');
      await this.stop();
      throw new Error(`${(err as Error).message}\n${this.output}\n${log}`);
    }
    return this;
  }

  /** Fast shutdown (SIGTERM), SIGKILL after 5 s; then removes its directory. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await this.exited;
      clearTimeout(timer);
    }
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
