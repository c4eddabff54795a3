import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import {
  ConfigError,
  Env,
  isProduction,
  looksLikePlaceholder,
  parseBoolean,
  validateEnv,
} from './validate-env';

class SessionEnv {
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be a plain cookie name' })
  COOKIE_NAME?: string;
  @IsOptional()
  @Matches(/^\/$|^(\/[A-Za-z0-9._~-]+)+$/, {
    message: 'must be / or a path like /portal (no trailing slash)',
  })
  COOKIE_PATH?: string;
  @IsOptional() @IsString() SESSION_SECRETS?: string;
  @IsOptional() @IsString() SESSION_ENCRYPTION_KEYS?: string;
  @IsOptional() @IsInt() @Min(1) @Max(7 * 86400) SESSION_IDLE_TIMEOUT_S: number = 1800;
  @IsOptional() @IsInt() @Min(1) @Max(30 * 86400) SESSION_ABSOLUTE_TIMEOUT_S: number = 43200;
  @IsOptional() @IsInt() @Min(1) @Max(3600) PENDING_STEP_TTL_S: number = 600;
  @IsOptional() @IsInt() @Min(0) @Max(3600) TOKEN_REFRESH_MARGIN_S: number = 60;
  @IsOptional() @IsInt() @Min(0) @Max(1000) MAX_SESSIONS_PER_USER: number = 10;
  @IsOptional()
  @Matches(/^\d+(b|kb|mb)?$/i, { message: 'must be a size like 16kb' })
  AUTH_BODY_LIMIT: string = '16kb';
}

// Development only: production refuses to start without real values (see loadSessionConfig).
export const DEV_SESSION_SECRET = 'dev-only-insecure-session-secret-0000000000';
const DEV_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The session cookie's Path and name. Path defaults to BASE_PATH, so a gateway mounted under
 * `/portal` beside other apps on the host sends its cookie only to its own prefix. A `__Host-`
 * cookie must have Path=/ (RFC 6265bis 4.1.3.2): under a prefix the default name is
 * `__Secure-bff`, and an explicit name that contradicts its path or Secure flag is refused.
 */
function cookieIdentity(v: SessionEnv, env: Env, secure: boolean, problems: string[]) {
  // BASE_PATH itself is validated by app.config; a malformed one fails the start there.
  const path = v.COOKIE_PATH ?? (env.BASE_PATH || '/');
  const name = v.COOKIE_NAME ?? (path === '/' ? '__Host-bff' : '__Secure-bff');
  const basePath = env.BASE_PATH ?? '';
  // Browsers match the prefixes case-insensitively (RFC 6265bis 4.1.3).
  const host = /^__host-/i.test(name);
  const securePrefix = /^__secure-/i.test(name);
  if (path !== '/' && path !== basePath && !basePath.startsWith(`${path}/`)) {
    problems.push(
      `COOKIE_PATH: must be /, BASE_PATH (${basePath || 'unset'}) or a parent of it, or the browser never sends the cookie`,
    );
  }
  if (host && path !== '/') {
    problems.push(
      `COOKIE_NAME: a __Host- cookie must have Path=/ but COOKIE_PATH is ${path}; use a __Secure- name or COOKIE_PATH=/`,
    );
  }
  if (!secure && host) {
    problems.push(
      'COOKIE_NAME: a __Host- cookie must be Secure; drop the prefix or keep COOKIE_SECURE=true',
    );
  }
  if (!secure && securePrefix) {
    problems.push(
      'COOKIE_NAME: a __Secure- cookie must be Secure; drop the prefix or keep COOKIE_SECURE=true',
    );
  }
  return { path, name };
}

export function loadSessionConfig(env: Env) {
  const v = validateEnv(SessionEnv, env);
  const problems: string[] = [];
  const secure = parseBoolean('COOKIE_SECURE', env.COOKIE_SECURE, true, problems);
  const cookie = cookieIdentity(v, env, secure, problems);
  // Clear-Site-Data: "cookies" clears every cookie of the site, other apps' on the host
  // included, so it is on by default only when the gateway owns the host (no BASE_PATH).
  const clearSiteData = parseBoolean(
    'LOGOUT_CLEAR_SITE_DATA',
    env.LOGOUT_CLEAR_SITE_DATA,
    !env.BASE_PATH,
    problems,
  );
  if (v.SESSION_IDLE_TIMEOUT_S > v.SESSION_ABSOLUTE_TIMEOUT_S) {
    problems.push('SESSION_IDLE_TIMEOUT_S: must not exceed SESSION_ABSOLUTE_TIMEOUT_S');
  }

  const production = isProduction(env);
  const secrets = list(v.SESSION_SECRETS);
  if (production && secrets.length === 0) problems.push('SESSION_SECRETS: required in production');
  for (const s of secrets) {
    if (s.length < 32) problems.push('SESSION_SECRETS: every secret needs at least 32 characters');
    else if (production && looksLikePlaceholder(s))
      problems.push('SESSION_SECRETS: a placeholder secret is refused in production');
  }

  const keyTexts = list(v.SESSION_ENCRYPTION_KEYS);
  if (production && keyTexts.length === 0)
    problems.push('SESSION_ENCRYPTION_KEYS: required in production');
  const keys = keyTexts.map((k) => Buffer.from(k, 'base64'));
  if (keys.some((k, i) => k.length !== 32 || k.toString('base64') !== keyTexts[i])) {
    problems.push('SESSION_ENCRYPTION_KEYS: every key must be 32 bytes in standard base64');
  }
  if (production && keys.some((k) => k.equals(Buffer.from(DEV_ENCRYPTION_KEY, 'base64')))) {
    problems.push('SESSION_ENCRYPTION_KEYS: the development key is refused in production');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    cookieName: cookie.name,
    /** Path of the session and OAuth transaction cookies (COOKIE_PATH, default BASE_PATH or /). */
    cookiePath: cookie.path,
    cookieSecure: secure,
    /** Whether logout sends `Clear-Site-Data: "cookies"` (LOGOUT_CLEAR_SITE_DATA). */
    logoutClearSiteData: clearSiteData,
    secrets: secrets.length > 0 ? secrets : [DEV_SESSION_SECRET],
    encryptionKeys: keys.length > 0 ? keys : [Buffer.from(DEV_ENCRYPTION_KEY, 'base64')],
    usingDevSecrets: secrets.length === 0 || keyTexts.length === 0,
    idleTimeoutS: v.SESSION_IDLE_TIMEOUT_S,
    absoluteTimeoutS: v.SESSION_ABSOLUTE_TIMEOUT_S,
    pendingStepTtlS: v.PENDING_STEP_TTL_S,
    tokenRefreshMarginS: v.TOKEN_REFRESH_MARGIN_S,
    /** Oldest sessions beyond this are ended at login; 0 = no limit (docs/security.md 33). */
    maxSessionsPerUser: v.MAX_SESSIONS_PER_USER,
    authBodyLimit: v.AUTH_BODY_LIMIT,
  };
}

export const sessionConfig = registerAs('session', () => loadSessionConfig(process.env));
export type SessionConfig = ReturnType<typeof loadSessionConfig>;
