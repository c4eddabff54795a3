// Bundles the demo SPA (demo/src, plain TypeScript) into dist/demo with esbuild, and copies the
// static files beside it. `npm run build` runs it after the gateway's build (which empties dist/).
// Usage: node demo/build.mjs [--watch]
import { build, context } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, '..', 'dist', 'demo');

const options = {
  entryPoints: [join(here, 'src', 'main.ts')],
  outfile: join(outdir, 'app.js'),
  bundle: true,
  format: 'iife',
  target: ['es2022'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // The client package from its sources, so the demo builds without building the client first.
  alias: { '@oneaccess-bff/client': join(here, '..', 'client', 'src', 'index.ts') },
};

await mkdir(outdir, { recursive: true });
for (const file of ['index.html', 'styles.css', 'favicon.svg']) {
  await copyFile(join(here, file), join(outdir, file));
}
if (process.argv.includes('--watch')) {
  const ctx = await context(options);
  await ctx.watch();
  console.log(`demo: watching demo/src, writing ${outdir} (static files are copied at start only)`);
} else {
  await build(options);
  console.log(`demo: built ${outdir}`);
}
