import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';

const execFileAsync = promisify(execFile);
/** Runs a command; a failure carries what it printed (tsc reports its errors on stdout). */
async function run(file: string, args: string[], options: { cwd?: string } = {}) {
  try {
    return await execFileAsync(file, args, options);
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}
const ROOT = resolve(__dirname, '..');
const CLIENT_DIR = join(ROOT, 'client');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const PASSWORD = 'Passw0rd!2024';

/**
 * The script a Node user would write after reading client/README.md ("Outside a browser"): a
 * cookie jar around the global fetch, the base path as an absolute URL. The same body is compiled
 * as an ES module (import) and as CommonJS (require); `IMPORT` is the only line that differs.
 * It is type-checked without the DOM library, as a server project would be, and it types the
 * captcha after failed passwords (`user_name`) without a cast.
 */
const SCRIPT = `IMPORT

function cookieJarFetch(): (input: string, init: RequestInit) => Promise<Response> {
  const jar = new Map<string, string>();
  return async (input, init) => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('Cookie', [...jar].map(([k, v]) => k + '=' + v).join('; '));
    const res = await fetch(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const gone = attributes.some((a) => /^\\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (gone) jar.delete(name);
      else jar.set(name, pair.slice(pair.indexOf('=') + 1));
    }
    return res;
  };
}

async function main(): Promise<void> {
  const [gateway, userName, password] = process.argv.slice(2);
  const bff = new client.BffClient({ basePath: gateway + '/portal', fetch: cookieJarFetch() });
  const before: client.SessionView = await bff.session();
  let refused: unknown;
  try {
    await bff.loginWithPassword(userName, 'not-' + password);
  } catch (err) {
    refused = err;
  }
  const signedIn = await bff.loginWithPassword(userName, password);
  const view = await bff.session({ slide: false });
  const sessions: client.OwnSession[] = await bff.sessions();
  const captchaForAccount: client.VerifyCaptchaRequest = {
    token: 'unused',
    point_json: '{"x":1,"y":5}',
    user_name: userName,
  };
  const out = await bff.logout();
  const after = await bff.session();
  console.log(
    JSON.stringify({
      before: before.status,
      refused:
        refused instanceof client.BffError
          ? { code: refused.code, status: refused.status, signedOut: refused.signedOut }
          : String(refused),
      signedIn: signedIn.status,
      user: view.user && view.user.user_name,
      sessions: sessions.filter((s) => s.current).length,
      captchaForAccount: Object.keys(captchaForAccount),
      out,
      after: after.status,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
`;

const ESM_IMPORT = "import * as client from '@oneaccess-bff/client';";
const CJS_REQUIRE = "import client = require('@oneaccess-bff/client');";

/** A consumer project's tsconfig: Node's own module rules, Node's types, no DOM. */
const TSCONFIG = {
  compilerOptions: {
    module: 'node16',
    moduleResolution: 'node16',
    target: 'ES2022',
    lib: ['ES2022'],
    strict: true,
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules', '@types')],
    outDir: 'out',
    skipLibCheck: false,
  },
  files: ['esm.mts', 'cjs.cts'],
};

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

/**
 * Issue 21 row 5: the client package as a user receives it. `npm pack` builds it (prepack), the
 * tarball installs offline into a project outside the repository (no runtime dependencies), a
 * TypeScript script compiles against it both as an ES module and as CommonJS, and both run
 * against a real gateway (the simulator, Redis) under a base path.
 */
describe('@oneaccess-bff/client as a packed tarball', () => {
  let work: string;
  let pack: PackResult;
  let stack: GatewayStack;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'bff-client-pkg-'));
    const [packed, started] = await Promise.all([
      run('npm', ['pack', '--json', '--pack-destination', work], { cwd: CLIENT_DIR }),
      startGatewayStack({ env: { BASE_PATH: '/portal' } }),
    ]);
    stack = started;
    // npm prints the prepack build's output before the JSON.
    pack = (JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as PackResult[])[0];

    const project = join(work, 'consumer');
    await mkdir(project);
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }),
    );
    await run(
      'npm',
      ['install', join(work, pack.filename), '--offline', '--no-audit', '--no-fund'],
      { cwd: project },
    );
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    await writeFile(join(project, 'esm.mts'), SCRIPT.replace('IMPORT', ESM_IMPORT));
    await writeFile(join(project, 'cjs.cts'), SCRIPT.replace('IMPORT', CJS_REQUIRE));
    await run(process.execPath, [TSC, '-p', project]);
  }, 180_000);

  afterAll(async () => {
    await stack?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('should ship the ES module and CommonJS builds with their types, the licence and the README, and nothing else', async () => {
    const files = pack.files.map((f) => f.path).sort();
    for (const format of ['cjs', 'esm'])
      for (const name of ['index', 'client', 'errors', 'types'])
        expect(files).toEqual(
          expect.arrayContaining([`dist/${format}/${name}.js`, `dist/${format}/${name}.d.ts`]),
        );
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
    // no sources, no maps pointing at them, no build files
    expect(
      files.filter(
        (f) =>
          !/^(dist\/(cjs|esm)\/[a-z-]+\.(js|d\.ts|json)|LICENSE|README\.md|package\.json)$/.test(f),
      ),
    ).toEqual([]);
    expect(files.some((f) => f.endsWith('.map'))).toBe(false);

    const installed = join(work, 'consumer', 'node_modules', '@oneaccess-bff', 'client');
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'));
    const root = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ license: 'Apache-2.0', version: root.version });
    expect(manifest.private).toBeUndefined();
    expect(manifest.dependencies).toBeUndefined();
    expect(await readFile(join(installed, 'LICENSE'), 'utf8')).toContain('Apache License');
  });

  it.each([
    ['an ES module (import)', 'esm.mjs'],
    ['CommonJS (require)', 'cjs.cjs'],
  ])(
    'should sign in, read the session and sign out from %s against a real gateway',
    async (_, script) => {
      const { stdout } = await run(
        process.execPath,
        [join(work, 'consumer', 'out', script), stack.gateway.url, 'zhangsan', PASSWORD],
        { cwd: join(work, 'consumer') },
      );
      expect(JSON.parse(stdout)).toEqual({
        before: 'ANONYMOUS',
        refused: { code: 'INVALID_CREDENTIALS', status: 401, signedOut: false },
        signedIn: 'SUCCESS',
        user: 'zhangsan',
        sessions: 1,
        captchaForAccount: ['token', 'point_json', 'user_name'],
        out: { logged_out: true },
        after: 'ANONYMOUS',
      });
    },
  );

  it('should resolve import to the ES module build and require to the CommonJS build', async () => {
    const project = join(work, 'consumer');
    const required = await run(
      process.execPath,
      ['-p', "require.resolve('@oneaccess-bff/client')"],
      { cwd: project },
    );
    expect(required.stdout.trim()).toMatch(/dist[\\/]cjs[\\/]index\.js$/);
    const imported = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('@oneaccess-bff/client'); console.log(import.meta.resolve('@oneaccess-bff/client'), typeof m.BffClient, 'default' in m);",
      ],
      { cwd: project },
    );
    const [url, type, hasDefault] = imported.stdout.trim().split(' ');
    expect(url).toMatch(/dist\/esm\/index\.js$/);
    expect(type).toBe('function');
    // a true ES module: named exports only, not a CommonJS module.exports behind `default`
    expect(hasDefault).toBe('false');
  });
});
