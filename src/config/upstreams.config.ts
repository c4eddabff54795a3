import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, MinLength } from 'class-validator';
import {
  ConfigError,
  Env,
  isProduction,
  looksLikePlaceholder,
  parseJson,
  validateEnv,
} from './validate-env';

class UpstreamsEnv {
  @IsOptional() @IsString() API_ROUTES?: string;
  @IsOptional() @IsString() RATE_LIMITS?: string;
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must have at least 32 characters' })
  ADMIN_TOKEN?: string;
}

/** Which credential the relay attaches for a route (contract section 5). */
export type RouteCredential = 'id_token' | 'access_token' | 'none';

export interface ApiRoute {
  name: string;
  target: URL;
  token: RouteCredential;
  /** Methods the route accepts (security.md 36); others answer 405. */
  methods: ReadonlySet<string>;
  /** Bound on the upstream's answer (headers) and on each pause in its body. */
  timeoutMs: number;
}

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const DEFAULT_ROUTE_TIMEOUT_MS = 30_000;

/** Per-minute limits unless the name says otherwise (contract section 8). */
export interface RateLimits {
  login_per_ip: number;
  login_per_account: number;
  sms_per_mobile_hour: number;
  captcha_per_ip: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  login_per_ip: 30,
  login_per_account: 10,
  sms_per_mobile_hour: 5,
  captcha_per_ip: 60,
};

function parseRoutes(raw: string | undefined, problems: string[]): ApiRoute[] {
  if (!raw) return [];
  const value = parseJson('API_ROUTES', raw, problems);
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(
      'API_ROUTES: must be an object of { "<name>": { "target": "http://...", "token": "id_token" } }',
    );
    return [];
  }
  const routes: ApiRoute[] = [];
  for (const [name, spec] of Object.entries(value as Record<string, unknown>)) {
    const where = `API_ROUTES.${name}`;
    if (!/^[a-z0-9-]+$/.test(name)) problems.push(`${where}: the name must match [a-z0-9-]+`);
    const s = (spec ?? {}) as {
      target?: unknown;
      token?: unknown;
      methods?: unknown;
      timeout_ms?: unknown;
    };
    let target: URL | undefined;
    try {
      target = new URL(String(s.target));
    } catch {
      problems.push(`${where}.target: must be an absolute http(s) URL`);
    }
    if (
      target &&
      (!/^https?:$/.test(target.protocol) || target.search || target.hash || target.username)
    ) {
      problems.push(
        `${where}.target: must be an http(s) URL without query, fragment or credentials`,
      );
    }
    const token = s.token ?? 'id_token';
    if (token !== 'id_token' && token !== 'access_token' && token !== 'none') {
      problems.push(`${where}.token: must be id_token, access_token or none`);
    }
    const methods = s.methods ?? ALL_METHODS;
    if (
      !Array.isArray(methods) ||
      methods.some((m) => typeof m !== 'string' || !ALL_METHODS.includes(m.toUpperCase()))
    ) {
      problems.push(`${where}.methods: must be a list of ${ALL_METHODS.join(', ')}`);
    }
    const timeoutMs = s.timeout_ms ?? DEFAULT_ROUTE_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || (timeoutMs as number) < 100)
      problems.push(`${where}.timeout_ms: must be an integer >= 100`);
    if (target) {
      routes.push({
        name,
        target,
        token: token as RouteCredential,
        methods: new Set(
          (Array.isArray(methods) ? methods : ALL_METHODS).map((m) => String(m).toUpperCase()),
        ),
        timeoutMs: timeoutMs as number,
      });
    }
  }
  return routes;
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

export function loadUpstreamsConfig(env: Env) {
  const v = validateEnv(UpstreamsEnv, env);
  const problems: string[] = [];
  const routes = parseRoutes(v.API_ROUTES, problems);
  const rateLimits = parseRateLimits(v.RATE_LIMITS, problems);
  if (isProduction(env) && v.ADMIN_TOKEN && looksLikePlaceholder(v.ADMIN_TOKEN)) {
    problems.push('ADMIN_TOKEN: a placeholder token is refused in production');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    routes: new Map(routes.map((r) => [r.name, r])),
    /** null when RATE_LIMITS=off */
    rateLimits,
    adminToken: v.ADMIN_TOKEN,
  };
}

export const upstreamsConfig = registerAs('upstreams', () => loadUpstreamsConfig(process.env));
export type UpstreamsConfig = ReturnType<typeof loadUpstreamsConfig>;
