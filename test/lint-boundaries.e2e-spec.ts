import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * Layers point down (CONTRIBUTING.md section 2), and the lint is what keeps them so: ESLint, with
 * the repository's own eslint.config.mjs, refuses an import from src/common or src/config into
 * src/modules, and one from src/config into src/common, while the downward imports every feature
 * makes stay allowed. Probe files are written into the real folders, because which rules apply
 * depends on where a file is.
 */
const ROOT = resolve(__dirname, '..');
const run = promisify(execFile);

interface Finding {
  file: string;
  ruleId: string | null;
  message: string;
}

/**
 * Lints `files` with ESLint's Node API in a child process (the config is an ES module, which
 * Jest's CommonJS runtime cannot load), keeping only the import-boundary rule so the answer
 * does not wait on every type-checked rule.
 */
async function lint(files: string[]): Promise<Finding[]> {
  const script = `
    const { ESLint } = require('eslint');
    const eslint = new ESLint({ cwd: process.cwd(), ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports' });
    eslint.lintFiles(JSON.parse(process.argv[1])).then((results) => {
      const out = results.flatMap((r) => r.messages.map((m) => ({ file: r.filePath, ruleId: m.ruleId, message: m.message })));
      process.stdout.write(JSON.stringify(out));
    }, (err) => { console.error(err); process.exit(2); });
  `;
  const { stdout } = await run(process.execPath, ['-e', script, JSON.stringify(files)], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Finding[];
}

/** Probe files, each `[path under src, import line]`, removed again whatever the outcome. */
async function lintProbes(probes: [string, string][]): Promise<Map<string, string[]>> {
  const tag = `lint-probe-${process.pid}`;
  const paths = probes.map(([dir], i) => join(ROOT, 'src', dir, `${tag}-${i}.ts`));
  try {
    probes.forEach(([, line], i) => writeFileSync(paths[i], `${line}\nexport const probe = x;\n`));
    const findings = await lint(paths);
    return new Map(
      probes.map(([dir, line], i) => [
        `${dir}: ${line}`,
        findings.filter((f) => f.file === paths[i]).map((f) => `${f.ruleId}: ${f.message}`),
      ]),
    );
  } finally {
    for (const path of paths) rmSync(path, { force: true });
  }
}

/** Each runs upward, and the lint must refuse it. */
const UPWARD: [string, string][] = [
  ['common/redis', "import { Metrics as x } from '../../modules/metrics/metrics';"],
  ['common', "import type { RelayHandler as x } from '../modules/relay/relay.handler';"],
  ['config', "import { sanitizeForwardedFor as x } from '../common/http/client-ip';"],
  ['config', "export { RelayModule as x } from '../modules/relay/relay.module';"],
  ['modules/auth', "import { createApp as x } from '../../bootstrap';"],
];
/** What features and common code do every day: the rule must not get in their way. */
const DOWNWARD: [string, string][] = [
  ['modules/relay', "import { COMMON_METRICS as x } from '../../common/metrics/common-metrics';"],
  ['modules/relay', "import { compileTrust as x } from '../../config/trust-proxy';"],
  ['common/http', "import { compileTrust as x } from '../../config/trust-proxy';"],
  ['common/http', "import { isAtOrUnder as x } from './canonical-path';"],
  ['config', "import { neverForwarded as x } from './relay-header-names';"],
];

describe('Import boundaries (the lint)', () => {
  it('should refuse upward imports and allow downward ones', async () => {
    const verdicts = await lintProbes([...UPWARD, ...DOWNWARD]);
    for (const [dir, line] of UPWARD) {
      const key = `${dir}: ${line}`;
      const refusal = verdicts.get(key)!.join('\n');
      expect([key, refusal]).toEqual([key, expect.stringContaining('no-restricted-imports')]);
      expect(refusal).toContain('CONTRIBUTING.md section 2');
    }
    for (const [dir, line] of DOWNWARD) {
      const key = `${dir}: ${line}`;
      expect([key, verdicts.get(key)]).toEqual([key, []]);
    }
  }, 120_000);

  it('should find no upward import in the tree today', async () => {
    const findings = await lint(['src/common', 'src/config']);
    expect(findings).toEqual([]);
  }, 180_000);
});

/** Every file under src/, specs included, stays small (CONTRIBUTING.md section 2). */
describe('File size', () => {
  it('should keep every file under src/ at 300 lines or fewer', () => {
    const tooLong: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (readFileSync(path, 'utf8').split('\n').length - 1 > 300)
          tooLong.push(path.slice(ROOT.length + 1));
      }
    };
    walk(join(ROOT, 'src'));
    expect(tooLong).toEqual([]);
  });
});
