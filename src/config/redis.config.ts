import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { readPemFile } from './pem-file';
import { ConfigError, Env, isProduction, validateEnv } from './validate-env';

const HOST_PORT_LIST = /^[^\s,:]+:\d{1,5}(\s*,\s*[^\s,:]+:\d{1,5})*$/;

class RedisEnv {
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;
  @IsOptional()
  @Matches(HOST_PORT_LIST, { message: 'must be comma-separated host:port pairs' })
  REDIS_SENTINELS?: string;
  @IsOptional() @IsString() REDIS_SENTINEL_MASTER: string = 'mymaster';
  @IsOptional()
  @Matches(HOST_PORT_LIST, { message: 'must be comma-separated host:port pairs' })
  REDIS_CLUSTER_NODES?: string;
  @IsOptional() @IsInt() @Min(50) @Max(60000) REDIS_TIMEOUT_MS: number = 1000;
  @IsOptional()
  @Matches(/^[A-Za-z0-9:_-]{1,32}$/, { message: 'must be a short key prefix like bff:' })
  REDIS_KEY_PREFIX: string = 'bff:';
  @IsOptional() @IsString() REDIS_CA_FILE?: string;
}

export interface HostPort {
  host: string;
  port: number;
}

function hostPorts(raw: string | undefined): HostPort[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const i = s.lastIndexOf(':');
      return { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
    });
}

/**
 * Which Redis to use. Sentinel and Cluster take their nodes from their own variables and their
 * credentials, TLS and database from REDIS_URL (a URL's host is then ignored).
 */
export type RedisMode = 'none' | 'standalone' | 'sentinel' | 'cluster';

export function loadRedisConfig(env: Env) {
  const v = validateEnv(RedisEnv, env);
  const sentinels = hostPorts(v.REDIS_SENTINELS);
  const clusterNodes = hostPorts(v.REDIS_CLUSTER_NODES);
  const problems: string[] = [];
  if (sentinels.length > 0 && clusterNodes.length > 0) {
    problems.push('REDIS_SENTINELS / REDIS_CLUSTER_NODES: choose one');
  }
  const mode: RedisMode =
    clusterNodes.length > 0
      ? 'cluster'
      : sentinels.length > 0
        ? 'sentinel'
        : v.REDIS_URL
          ? 'standalone'
          : 'none';
  if (mode === 'none' && isProduction(env)) {
    problems.push(
      'REDIS_URL: required in production (the in-process store is for development only)',
    );
  }
  // A private CA for this connection only (NODE_EXTRA_CA_CERTS would trust it process-wide).
  const caFile = v.REDIS_CA_FILE?.trim() || undefined;
  const ca = caFile === undefined ? undefined : readPemFile('REDIS_CA_FILE', caFile, problems);
  if (caFile !== undefined && !v.REDIS_URL?.startsWith('rediss://'))
    problems.push('REDIS_CA_FILE: set for a TLS Redis only: REDIS_URL must be rediss://');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    mode,
    url: v.REDIS_URL,
    sentinels,
    sentinelMaster: v.REDIS_SENTINEL_MASTER,
    clusterNodes,
    timeoutMs: v.REDIS_TIMEOUT_MS,
    keyPrefix: v.REDIS_KEY_PREFIX,
    /** REDIS_CA_FILE's certificates: they replace the system CAs for Redis's TLS. */
    ca,
  };
}

export const redisConfig = registerAs('redis', () => loadRedisConfig(process.env));
export type RedisConfig = ReturnType<typeof loadRedisConfig>;
