import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

/** What no answer may ever contain: the content of every file outside the SPA's directory. */
export const OUTSIDE_SECRET = 'TOP-SECRET-OUTSIDE-THE-SPA';
/** A marker of the SPA's own index.html, to tell it from the demo page or an error. */
export const SPA_MARKER = 'team-spa-index-7f3a';

/** Files of the built SPA, as a bundler emits them (Vite's `assets/`, a hex-hashed name). */
export const SPA_FILES: Record<string, string> = {
  // Built with base /portal/ (Vite `base`), so deep routes load the same absolute asset URLs.
  'index.html': `<!doctype html><html><head><title>Team SPA</title><link rel="icon" href="/portal/assets/logo.svg"></head><body><div id="${SPA_MARKER}"></div><script type="module" src="/portal/assets/index-B4x9Qz1a.js"></script></body></html>\n`,
  // Runs under the SPA's policy and calls the gateway from the page.
  'assets/index-B4x9Qz1a.js': `const out = document.getElementById('${SPA_MARKER}');
fetch('/portal/auth/session', { credentials: 'same-origin' })
  .then((r) => r.json())
  .then((s) => { out.textContent = 'route ' + location.pathname + location.search + ' session ' + s.authenticated; });
`,
  'assets/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
  'app.3f9a1c2b.js': 'console.log("hashed");\n',
  'robots.txt': 'User-agent: *\n',
  'help/guide.html': '<!doctype html><p>guide</p>\n',
  'inside-link.txt': '',
  '.env': `SECRET=${OUTSIDE_SECRET}\n`,
};

/** The file of {@link SPA_FILES} that also has `.gz` and `.br` siblings. */
export const PRECOMPRESSED_ASSET = 'assets/index-B4x9Qz1a.js';

/**
 * A built SPA in a temporary directory (`root` is its `dist`), with, beside it, what an attacker
 * would like to read: a file next to the directory, a sibling directory whose name starts like
 * the SPA's (`dist-evil`), and symlinks inside the SPA that lead out (to a file and to a
 * directory). A symlink that stays inside is allowed.
 */
export class SpaFixture {
  base = '';
  root = '';

  async create(): Promise<this> {
    this.base = await mkdtemp(join(tmpdir(), 'bff-spa-'));
    // nginx's workers (as `nobody`) read it too.
    await chmod(this.base, 0o755);
    this.root = join(this.base, 'dist');
    for (const [rel, content] of Object.entries(SPA_FILES)) {
      if (rel === 'inside-link.txt') continue;
      await mkdir(join(this.root, rel, '..'), { recursive: true });
      await writeFile(join(this.root, rel), content);
    }
    // Precompressed siblings, as a build with a compression plugin emits them.
    const script = SPA_FILES[PRECOMPRESSED_ASSET];
    await writeFile(join(this.root, `${PRECOMPRESSED_ASSET}.gz`), gzipSync(script));
    await writeFile(join(this.root, `${PRECOMPRESSED_ASSET}.br`), brotliCompressSync(script));
    await writeFile(join(this.base, 'secret.txt'), OUTSIDE_SECRET);
    await mkdir(join(this.base, 'dist-evil'));
    await writeFile(join(this.base, 'dist-evil', 'secret.txt'), OUTSIDE_SECRET);
    await symlink(join(this.base, 'secret.txt'), join(this.root, 'leak.txt'));
    await symlink(join(this.base, 'dist-evil'), join(this.root, 'linked'));
    await symlink(join(this.root, 'robots.txt'), join(this.root, 'inside-link.txt'));
    return this;
  }

  async remove(): Promise<void> {
    if (this.base) await rm(this.base, { recursive: true, force: true });
  }
}

/**
 * Paths (below the prefix) that try to leave the directory, in every spelling: plain and
 * percent-encoded dots and slashes, backslashes, double encoding, NUL, the prefix-sharing sibling,
 * symlinks leading out, and hidden files.
 */
export const ESCAPES = [
  '/../secret.txt',
  '/../../../../etc/passwd',
  '/..%2fsecret.txt',
  '/%2e%2e/secret.txt',
  '/%2e%2e%2fsecret.txt',
  '/%2E%2E/%2E%2E/etc/passwd',
  '/.%2e/secret.txt',
  '/assets/../../secret.txt',
  '/assets/%2e%2e/%2e%2e/secret.txt',
  '/..%5csecret.txt',
  '/assets/..%5c..%5csecret.txt',
  '/..\\secret.txt',
  '/%252e%252e/secret.txt',
  '/%2e%2e/dist-evil/secret.txt',
  '/../dist-evil/secret.txt',
  '/secret.txt%00.js',
  '/leak.txt',
  '/linked/secret.txt',
  '/linked/',
  '/.env',
  '/%2eenv',
  '/assets/.%2e/.env',
];
