import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, Matches } from 'class-validator';
import { realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, Env, validateEnv } from './validate-env';

class SpaEnv {
  @IsOptional() @IsString() SPA_DIR?: string;
  /** One header line: no line breaks, no characters a header value cannot carry. */
  @IsOptional()
  @Matches(/^[\x20-\x7e]+$/, { message: 'must be one line of printable ASCII' })
  SPA_CSP?: string;
}

/**
 * The SPA's policy unless SPA_CSP replaces it: what a bundled single-page application needs from
 * its own origin (scripts, styles, images, fonts, calls to /auth and /api) and nothing from
 * elsewhere; `data:` images for inlined icons. Like the demo's, plus fonts and a manifest.
 */
export const DEFAULT_SPA_CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** The directory's real path when it is a directory holding a regular index.html, else why not. */
function checkedRoot(dir: string): { root?: string; problem?: string } {
  try {
    const root = realpathSync(resolve(dir));
    if (!statSync(root).isDirectory()) return { problem: `${dir} is not a directory` };
    if (!statSync(join(root, 'index.html')).isFile())
      return { problem: `${dir}/index.html is not a file` };
    return { root };
  } catch {
    return { problem: `${dir} does not exist or has no index.html` };
  }
}

/**
 * The team's own SPA (issue 21), served from SPA_DIR under BASE_PATH. It replaces the demo page,
 * so asking for both is refused. The directory is resolved once here (symlinks included): every
 * file served must lie inside this real path.
 */
export function loadSpaConfig(env: Env) {
  const v = validateEnv(SpaEnv, env);
  if (v.SPA_DIR === undefined) {
    if (v.SPA_CSP !== undefined) throw new ConfigError(['SPA_CSP: needs SPA_DIR']);
    return { root: null, csp: DEFAULT_SPA_CSP };
  }
  const problems: string[] = [];
  if (env.DEMO_ENABLED !== undefined && /^(true|1|yes)$/i.test(env.DEMO_ENABLED)) {
    problems.push(
      'SPA_DIR: the SPA and the demo page (DEMO_ENABLED=true) both serve /; choose one',
    );
  }
  const { root, problem } = checkedRoot(v.SPA_DIR);
  if (problem) problems.push(`SPA_DIR: ${problem}`);
  if (problems.length > 0 || !root) throw new ConfigError(problems);
  return { root, csp: v.SPA_CSP ?? DEFAULT_SPA_CSP };
}

export const spaConfig = registerAs('spa', () => loadSpaConfig(process.env));
export type SpaConfig = ReturnType<typeof loadSpaConfig>;
