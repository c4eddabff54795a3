import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/**
 * Every environment variable the gateway's configuration (src/config) reads: `env.NAME`,
 * `env['NAME']`, or a validated field (`NAME?: string`, or `@IsOptional() NAME: number = 1`
 * after its decorators).
 */
export function configVariables(): Set<string> {
  const sources = execFileSync('git', ['ls-files', 'src/config'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .map((f) => readFileSync(join(ROOT, f), 'utf8'))
    .join('\n');
  const pattern = /\benv(?:\.|\[')([A-Z][A-Z0-9_]+)|(?:^\s+|\)\s)([A-Z][A-Z0-9_]+)[!?]?:\s/gm;
  return new Set([...sources.matchAll(pattern)].map((m) => m[1] ?? m[2]));
}
