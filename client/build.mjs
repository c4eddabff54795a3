// Builds the package twice from src/: CommonJS into dist/cjs and ES modules into dist/esm, each
// with its type declarations, so `require` and `import` (and TypeScript under either) get a copy
// in their own format. Source maps are left out: the package ships dist/ only, and a map pointing
// at sources that are not in the tarball helps nobody. Runs on `npm run build` and on pack.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

// A fresh dist: files of an older layout must not ship.
rmSync(join(here, 'dist'), { recursive: true, force: true });
for (const [project, dir, type] of [
  ['tsconfig.build.json', 'cjs', 'commonjs'],
  ['tsconfig.esm.json', 'esm', 'module'],
]) {
  execFileSync(process.execPath, [tsc, '-p', join(here, project)], { stdio: 'inherit' });
  // Node and TypeScript tell the format of a .js/.d.ts file by the nearest package.json.
  writeFileSync(join(here, 'dist', dir, 'package.json'), `${JSON.stringify({ type })}\n`);
}
// The tarball carries the repository's licence; npm packs a LICENSE only from the package's own
// folder, so it is copied there (and ignored by git) rather than kept twice.
copyFileSync(join(here, '..', 'LICENSE'), join(here, 'LICENSE'));
