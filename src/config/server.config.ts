import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ConfigError, Env, validateEnv } from './validate-env';

/**
 * Limits of the HTTP server itself, against clients that hold connections open (slowloris, slow
 * uploads). Defaults and why:
 * - headers: 10 s to send the request line and headers (Node's 60 s lets a slow client hold a
 *   socket six times longer; a real browser sends its headers in one packet).
 * - request: 300 s for the whole request, body included. The relay streams uploads, so this is
 *   the longest upload allowed (300 MB at 1 MB/s); a body that stalls is cut much sooner by the
 *   idle timeout below, and a trickling one cannot hold more than
 *   RELAY_MAX_CONCURRENT_PER_SESSION calls of its session. 0 switches it off.
 * - body idle: 20 s without a byte of request body cuts the connection, on /auth and the relay.
 *   Above the worst wait before the relay reads a body (a token refresh plus a connect, each
 *   bounded by ONEACCESS_TIMEOUT_MS, 5 s by default).
 * - keep-alive: 65 s, longer than the 60 s idle timeout of common load balancers (ELB, ALB,
 *   nginx), so the gateway never closes a connection the balancer is about to reuse (a 502).
 * - header size: 16 KiB (Node's default): the browser sends one small cookie and no tokens.
 */
class ServerEnv {
  @IsOptional() @IsInt() @Min(1000) @Max(600_000) SERVER_HEADERS_TIMEOUT_MS: number = 10_000;
  @IsOptional() @IsInt() @Min(0) @Max(86_400_000) SERVER_REQUEST_TIMEOUT_MS: number = 300_000;
  @IsOptional() @IsInt() @Min(100) @Max(600_000) SERVER_BODY_IDLE_TIMEOUT_MS: number = 20_000;
  @IsOptional() @IsInt() @Min(1000) @Max(600_000) SERVER_KEEP_ALIVE_TIMEOUT_MS: number = 65_000;
  @IsOptional() @IsInt() @Min(4096) @Max(65_536) SERVER_MAX_HEADER_SIZE: number = 16_384;
}

export function loadServerConfig(env: Env = process.env) {
  const v = validateEnv(ServerEnv, env);
  const requestTimeoutMs = v.SERVER_REQUEST_TIMEOUT_MS;
  if (requestTimeoutMs > 0 && requestTimeoutMs < v.SERVER_HEADERS_TIMEOUT_MS) {
    // Node refuses a headers timeout longer than the whole-request timeout.
    throw new ConfigError([
      'SERVER_REQUEST_TIMEOUT_MS: must be 0 or at least SERVER_HEADERS_TIMEOUT_MS',
    ]);
  }
  return {
    headersTimeoutMs: v.SERVER_HEADERS_TIMEOUT_MS,
    /** 0: no bound on the whole request. */
    requestTimeoutMs,
    bodyIdleTimeoutMs: v.SERVER_BODY_IDLE_TIMEOUT_MS,
    keepAliveTimeoutMs: v.SERVER_KEEP_ALIVE_TIMEOUT_MS,
    maxHeaderSize: v.SERVER_MAX_HEADER_SIZE,
  };
}

export const serverConfig = registerAs('server', () => loadServerConfig(process.env));
export type ServerConfig = ReturnType<typeof loadServerConfig>;
