import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { autoWorkers } from './cpu-quota';
import { catchAllFamilies } from './trust-coverage';
import { compileTrust, TrustProxy } from './trust-proxy';
import { ConfigError, Env, isProduction, validateEnv } from './validate-env';

class AppEnv {
  @IsOptional() @IsInt() @Min(0) @Max(65535) PORT: number = 3000;
  /** Unset: every interface (Node's default, `::` or `0.0.0.0`). */
  @IsOptional() @IsString() HOST?: string;
  /** Set: the probes, metrics and docs answer only on this port (the ops listener). */
  @IsOptional() @IsInt() @Min(1) @Max(65535) OPS_PORT?: number;
  @IsOptional() @IsString() OPS_HOST?: string;
  @IsOptional()
  @Matches(/^(auto|[1-9]\d{0,2})$/, {
    message: 'must be a number of processes or auto (one per CPU, within the container CPU limit)',
  })
  WORKERS: string = '1';
  @IsOptional()
  @Matches(/^https?:\/\/[^/?#\s]+$/, {
    message: 'must be an origin like https://portal.example.com (no path)',
  })
  PUBLIC_ORIGIN: string = 'http://localhost:3000';
  @IsOptional()
  @Matches(/^(\/[A-Za-z0-9._~-]+)*$/, {
    message: 'must be empty or a path like /portal (no trailing slash)',
  })
  BASE_PATH: string = '';
  @IsOptional()
  @Matches(
    /^(\d+|loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*|true|false)$/,
    {
      message: 'must be a hop count, loopback, or comma-separated CIDRs',
    },
  )
  TRUST_PROXY?: string;
  @IsOptional()
  @IsString()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';
  @IsOptional() @IsString() NODE_ENV?: string;
}

/** Express `trust proxy` accepts a number, a boolean or a list of names/CIDRs. */
function parseTrustProxy(raw: string | undefined): TrustProxy {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw.split(',').map((s) => s.trim());
}

/**
 * Why a list of proxies cannot be used, or undefined: anything proxy-addr cannot compile would
 * otherwise fail later with a stack trace, and ranges that together cover a whole address family
 * (`0.0.0.0/0`, or its halves) trust every client, which could then forge its address.
 */
function trustProblem(trust: TrustProxy): string | undefined {
  if (!Array.isArray(trust)) return undefined;
  const families = catchAllFamilies(trust);
  if (families.length > 0)
    return `TRUST_PROXY: the ranges together trust every ${families.join(' and ')} address; name the proxies instead`;
  try {
    compileTrust(trust);
    return undefined;
  } catch (err) {
    return `TRUST_PROXY: ${(err as Error).message}`;
  }
}

export function loadAppConfig(env: Env = process.env) {
  const v = validateEnv(AppEnv, env);
  const problems: string[] = [];
  if (isProduction(env) && v.TRUST_PROXY === 'true') {
    // "trust every hop" lets any client forge its address and scheme.
    problems.push('TRUST_PROXY: "true" trusts every peer; name the proxies instead');
  }
  const trustProxy = parseTrustProxy(v.TRUST_PROXY);
  const badTrust = trustProblem(trustProxy);
  if (badTrust) problems.push(badTrust);
  const workers = v.WORKERS === 'auto' ? autoWorkers() : Number(v.WORKERS);
  if (workers > 1 && !env.REDIS_URL && !env.REDIS_SENTINELS && !env.REDIS_CLUSTER_NODES) {
    // Each worker is its own process: sessions, locks and limits must live in Redis.
    problems.push('WORKERS: more than one worker needs REDIS_URL (or Sentinel/Cluster)');
  }
  if (workers > 1 && !env.ONEACCESS_BASE_URL) {
    problems.push(
      'WORKERS: more than one worker needs ONEACCESS_BASE_URL (the embedded simulator is per process)',
    );
  }
  if (v.OPS_PORT !== undefined && v.OPS_PORT === v.PORT) {
    problems.push('OPS_PORT: must differ from PORT');
  }
  if (v.OPS_HOST !== undefined && v.OPS_PORT === undefined) {
    problems.push('OPS_HOST: needs OPS_PORT');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: v.PORT,
    /** undefined: every interface. */
    host: v.HOST,
    /** The ops listener (probes, metrics, docs), or null: they answer on the main port. */
    ops: v.OPS_PORT === undefined ? null : { port: v.OPS_PORT, host: v.OPS_HOST },
    /** Processes serving the port (node:cluster); 1 runs the gateway in this process. */
    workers,
    publicOrigin: v.PUBLIC_ORIGIN,
    basePath: v.BASE_PATH,
    /**
     * The one OAuth redirect URI: PUBLIC_ORIGIN + BASE_PATH + /auth/oauth/callback. The
     * authorize request, the code exchange and the embedded simulator's registration all use
     * it; register exactly this at OneAccess.
     */
    oauthRedirectUri: `${v.PUBLIC_ORIGIN}${v.BASE_PATH}/auth/oauth/callback`,
    trustProxy,
    logLevel: v.LOG_LEVEL,
    production: isProduction(env),
  };
}

export const appConfig = registerAs('app', () => loadAppConfig(process.env));
export type AppConfig = ReturnType<typeof loadAppConfig>;
