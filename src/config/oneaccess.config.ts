import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import {
  ConfigError,
  Env,
  isProduction,
  looksLikePlaceholder,
  parseBoolean,
  validateEnv,
} from './validate-env';

/** How the client authenticates to the OAuth token endpoint (RFC 6749 §2.3.1). */
export type ClientAuthMethod = 'client_secret_post' | 'client_secret_basic';
/** Which OneAccess logout page `logout_url` names: global (#44) or CAS (#41). */
export type LogoutStyle = 'global' | 'cas';

class OneAccessEnv {
  @IsOptional()
  @Matches(/^https?:\/\/[^/?#\s]+$/, {
    message: 'must be an origin like https://abcdefg.huaweioneaccess.com',
  })
  ONEACCESS_BASE_URL?: string;
  @IsOptional()
  @Matches(/^https?:\/\/[^/?#\s]+$/, {
    message: 'must be an origin like https://abcdefg.huaweioneaccess.com',
  })
  ONEACCESS_PUBLIC_URL?: string;
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
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an absolute http(s) URL' })
  OAUTH_JWKS_URL?: string;
  @IsOptional()
  @Matches(/^\S+$/, {
    message: 'must be the issuer identifier, e.g. https://abcdefg.huaweioneaccess.com',
  })
  OAUTH_ISSUER?: string;
  @IsOptional()
  @IsIn(['client_secret_post', 'client_secret_basic'], {
    message: 'must be client_secret_post or client_secret_basic',
  })
  ONEACCESS_CLIENT_AUTH: ClientAuthMethod = 'client_secret_post';
  @IsOptional()
  @IsIn(['global', 'cas'], { message: 'must be global or cas' })
  LOGOUT_STYLE: LogoutStyle = 'global';
  @IsOptional() @IsInt() @Min(0) @Max(65535) SIMULATOR_PORT: number = 7100;
  /** OneAccess's password policy: consecutive failures before a lock (its range is 1-10). */
  @IsOptional() @IsInt() @Min(1) @Max(10) ONEACCESS_LOCKOUT_THRESHOLD: number = 10;
}

export function loadOneAccessConfig(env: Env) {
  const problems: string[] = [];
  // Read by hand: class-transformer's implicit conversion turns "false" into true.
  const pkce = parseBoolean('OAUTH_PKCE', env.OAUTH_PKCE, true, problems);
  let v: OneAccessEnv;
  try {
    v = validateEnv(OneAccessEnv, env);
  } catch (err) {
    // One failed start names every bad variable, this one's too.
    if (err instanceof ConfigError) throw new ConfigError([...err.problems, ...problems]);
    throw err;
  }
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
  if (v.ONEACCESS_PUBLIC_URL && !v.ONEACCESS_BASE_URL) {
    problems.push('ONEACCESS_PUBLIC_URL: needs ONEACCESS_BASE_URL (the server-side address)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    /** Unset: the embedded simulator is started (development only). */
    baseUrl: v.ONEACCESS_BASE_URL,
    /**
     * Where the BROWSER reaches OneAccess (authorize redirect, logout_url), when that differs
     * from where the gateway calls it (e.g. Compose's `http://simulator:7100`). Default: baseUrl.
     */
    publicUrl: v.ONEACCESS_PUBLIC_URL ?? v.ONEACCESS_BASE_URL,
    clientId: v.ONEACCESS_CLIENT_ID,
    clientSecret: v.ONEACCESS_CLIENT_SECRET,
    tenantId: v.ONEACCESS_TENANT_ID,
    timeoutMs: v.ONEACCESS_TIMEOUT_MS,
    logoutRedirectUrl: v.LOGOUT_REDIRECT_URL,
    logoutStyle: v.LOGOUT_STYLE,
    oauthScope: v.OAUTH_SCOPE,
    /** PKCE S256 on the redirect login; off only for an instance that rejects it. */
    oauthPkce: pkce,
    /** Unset: the discovery document's `jwks_uri` / `issuer`. */
    oauthJwksUrl: v.OAUTH_JWKS_URL,
    oauthIssuer: v.OAUTH_ISSUER,
    clientAuth: v.ONEACCESS_CLIENT_AUTH,
    simulatorPort: v.SIMULATOR_PORT,
    /** Consecutive wrong passwords after which OneAccess locks the account (login protection). */
    lockoutThreshold: v.ONEACCESS_LOCKOUT_THRESHOLD,
  };
}

export const oneAccessConfig = registerAs('oneaccess', () => loadOneAccessConfig(process.env));
export type OneAccessConfig = ReturnType<typeof loadOneAccessConfig>;
