import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { ApiRoute, parseRoutes } from './api-routes';
import {
  ConfigError,
  Env,
  isProduction,
  looksLikePlaceholder,
  parseJson,
  validateEnv,
} from './validate-env';

export type { ApiRoute, RouteCredential } from './api-routes';

/**
 * Relayed calls one session may have in progress at once, per gateway instance (all workers): a
 * browser runs 6 per host over HTTP/1.1 and a page over HTTP/2 a few dozen, and the bound keeps
 * one user from holding more than a quarter of a route's default pool (64) with slow calls.
 */
const DEFAULT_MAX_CONCURRENT_PER_SESSION = 16;
/**
 * Calls of one session waiting for a slot beyond its share (per process): with the share, a
 * page's 50 or even 80 parallel calls are served rather than refused.
 */
const DEFAULT_QUEUE_PER_SESSION = 64;
/**
 * Longest wait for a slot: long enough for a page's burst over calls of a few hundred ms, short
 * enough that calls piling up behind one session's stalled upstream are told to come back.
 */
const DEFAULT_QUEUE_WAIT_MS = 10_000;

/**
 * Open WebSockets one session may hold through one gateway process: a page rarely needs more
 * than a couple, and each holds an upstream connection for as long as it lives.
 */
const DEFAULT_MAX_WEBSOCKETS_PER_SESSION = 8;

/** The IPv6 prefix length per-address limits count as one client when none is configured. */
export const DEFAULT_IPV6_PREFIX = 64;

class UpstreamsEnv {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  RELAY_MAX_CONCURRENT_PER_SESSION: number = DEFAULT_MAX_CONCURRENT_PER_SESSION;
  @IsOptional() @IsInt() @Min(0) @Max(10_000) RELAY_QUEUE_PER_SESSION: number =
    DEFAULT_QUEUE_PER_SESSION;
  @IsOptional() @IsInt() @Min(100) @Max(600_000) RELAY_QUEUE_WAIT_MS: number =
    DEFAULT_QUEUE_WAIT_MS;
  @IsOptional() @IsInt() @Min(1) @Max(1000) RELAY_MAX_WEBSOCKETS_PER_SESSION: number =
    DEFAULT_MAX_WEBSOCKETS_PER_SESSION;
  @IsOptional() @IsString() API_ROUTES?: string;
  @IsOptional() @IsString() RATE_LIMITS?: string;
  /**
   * How many leading bits of an IPv6 address per-address limits count as one client: one
   * subscriber usually holds a /64. Below /16 one count would cover whole networks.
   */
  @IsOptional() @IsInt() @Min(16) @Max(128) RATE_LIMIT_IPV6_PREFIX: number = DEFAULT_IPV6_PREFIX;
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must have at least 32 characters' })
  ADMIN_TOKEN?: string;
}

/** Per-minute limits unless the name says otherwise (contract section 8). */
export interface RateLimits {
  login_per_ip: number;
  login_per_account: number;
  sms_per_mobile_hour: number;
  captcha_per_ip: number;
  /** Redirect logins started per IP: each one writes a pre-login record (10 minutes). */
  oauth_login_per_ip: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  login_per_ip: 30,
  login_per_account: 10,
  sms_per_mobile_hour: 5,
  captcha_per_ip: 60,
  oauth_login_per_ip: 30,
};

function loadRoutes(raw: string | undefined, problems: string[]): ApiRoute[] {
  if (!raw) return [];
  const value = parseJson('API_ROUTES', raw, problems);
  return value === undefined ? [] : parseRoutes(value, problems);
}

function parseRateLimits(raw: string | undefined, problems: string[]): RateLimits | null {
  if (!raw) return DEFAULT_RATE_LIMITS;
  if (raw === 'off') return null;
  const value = parseJson('RATE_LIMITS', raw, problems);
  if (value === undefined) return DEFAULT_RATE_LIMITS;
  const limits = { ...DEFAULT_RATE_LIMITS };
  for (const [k, n] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    if (!(k in limits))
      problems.push(`RATE_LIMITS.${k}: unknown limit (known: ${Object.keys(limits).join(', ')})`);
    else if (!Number.isInteger(n) || (n as number) < 1)
      problems.push(`RATE_LIMITS.${k}: must be a positive integer`);
    else limits[k as keyof RateLimits] = n as number;
  }
  return limits;
}

export function loadUpstreamsConfig(env: Env = process.env) {
  const v = validateEnv(UpstreamsEnv, env);
  const problems: string[] = [];
  const routes = loadRoutes(v.API_ROUTES, problems);
  const rateLimits = parseRateLimits(v.RATE_LIMITS, problems);
  if (isProduction(env) && v.ADMIN_TOKEN && looksLikePlaceholder(v.ADMIN_TOKEN)) {
    problems.push('ADMIN_TOKEN: a placeholder token is refused in production');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    routes: new Map(routes.map((r) => [r.name, r])),
    /** null when RATE_LIMITS=off */
    rateLimits,
    /** RATE_LIMIT_IPV6_PREFIX: the IPv6 prefix per-address limits count as one client. */
    ipv6Prefix: v.RATE_LIMIT_IPV6_PREFIX,
    /** A session's share of the relay: calls in progress at once, all workers together. */
    maxConcurrentPerSession: v.RELAY_MAX_CONCURRENT_PER_SESSION,
    /** Calls of a session waiting beyond its share (per process); beyond them 429. */
    queuePerSession: v.RELAY_QUEUE_PER_SESSION,
    /** Longest wait in that queue before 429. */
    queueWaitMs: v.RELAY_QUEUE_WAIT_MS,
    /** Open relayed WebSockets per session and process; beyond them the upgrade gets 429. */
    maxWebSocketsPerSession: v.RELAY_MAX_WEBSOCKETS_PER_SESSION,
    adminToken: v.ADMIN_TOKEN,
  };
}

export const upstreamsConfig = registerAs('upstreams', () => loadUpstreamsConfig(process.env));
export type UpstreamsConfig = ReturnType<typeof loadUpstreamsConfig>;
