import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ConfigError, Env, isProduction, looksLikePlaceholder, validateEnv } from './validate-env';

class OneAccessEnv {
  @IsOptional()
  @Matches(/^https?:\/\/[^/?#\s]+$/, {
    message: 'must be an origin like https://abcdefg.huaweioneaccess.com',
  })
  ONEACCESS_BASE_URL?: string;
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{4,128}$/, { message: 'must be the application ClientId' })
  ONEACCESS_CLIENT_ID?: string;
  @IsOptional() @IsString() ONEACCESS_CLIENT_SECRET?: string;
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,128}$/, { message: 'must be the tenant id' })
  ONEACCESS_TENANT_ID?: string;
  @IsOptional() @IsInt() @Min(100) @Max(120000) ONEACCESS_TIMEOUT_MS: number = 5000;
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an absolute http(s) URL' })
  LOGOUT_REDIRECT_URL?: string;
  @IsOptional()
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, {
    message: 'must be space-separated scopes',
  })
  OAUTH_SCOPE: string = 'openid';
  @IsOptional() @IsInt() @Min(0) @Max(65535) SIMULATOR_PORT: number = 7100;
  /** OneAccess's password policy: consecutive failures before a lock (its range is 1-10). */
  @IsOptional() @IsInt() @Min(1) @Max(10) ONEACCESS_LOCKOUT_THRESHOLD: number = 10;
}

export function loadOneAccessConfig(env: Env) {
  const v = validateEnv(OneAccessEnv, env);
  const problems: string[] = [];
  if (isProduction(env)) {
    if (!v.ONEACCESS_BASE_URL)
      problems.push(
        'ONEACCESS_BASE_URL: required in production (the simulator is for development only)',
      );
    if (!v.ONEACCESS_CLIENT_ID) problems.push('ONEACCESS_CLIENT_ID: required in production');
    if (!v.ONEACCESS_CLIENT_SECRET)
      problems.push('ONEACCESS_CLIENT_SECRET: required in production');
    else if (looksLikePlaceholder(v.ONEACCESS_CLIENT_SECRET))
      problems.push('ONEACCESS_CLIENT_SECRET: a placeholder secret is refused in production');
  }
  if (v.ONEACCESS_BASE_URL && (!v.ONEACCESS_CLIENT_ID || !v.ONEACCESS_CLIENT_SECRET)) {
    problems.push(
      'ONEACCESS_CLIENT_ID / ONEACCESS_CLIENT_SECRET: required with ONEACCESS_BASE_URL',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    /** Unset: the embedded simulator is started (development only). */
    baseUrl: v.ONEACCESS_BASE_URL,
    clientId: v.ONEACCESS_CLIENT_ID,
    clientSecret: v.ONEACCESS_CLIENT_SECRET,
    tenantId: v.ONEACCESS_TENANT_ID,
    timeoutMs: v.ONEACCESS_TIMEOUT_MS,
    logoutRedirectUrl: v.LOGOUT_REDIRECT_URL,
    oauthScope: v.OAUTH_SCOPE,
    simulatorPort: v.SIMULATOR_PORT,
    /** Consecutive wrong passwords after which OneAccess locks the account (login protection). */
    lockoutThreshold: v.ONEACCESS_LOCKOUT_THRESHOLD,
  };
}

export const oneAccessConfig = registerAs('oneaccess', () => loadOneAccessConfig(process.env));
export type OneAccessConfig = ReturnType<typeof loadOneAccessConfig>;
