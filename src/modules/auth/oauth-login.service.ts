import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError, UpstreamError } from '../../common/errors/app-error';
import { ONE_TIME_STORE, OneTimeStore } from '../../common/session/one-time.store';
import { appConfig } from '../../config/app.config';
import { oneAccessConfig } from '../../config/oneaccess.config';
import { sessionConfig } from '../../config/session.config';
import { OAuthClient } from '../oneaccess/oauth.client';
import { jwtExpiryMs } from '../tokens/jwt-expiry';
import { LoginService } from './login.service';
import type { Cookies } from './response-cookies.decorator';
import { confinedReturnTo } from './return-to';
import { SessionHandle } from './session-handle';

/** The pre-login record lives 10 minutes (bff-api.md section 2, security.md 23). */
const TRANSACTION_TTL_S = 600;

interface Transaction {
  nonce: string;
  return_to: string;
  /** SHA-256 of the transaction cookie's value: the record is bound to the browser that started it. */
  binding: string;
}

/** Why a callback failed, as `/?auth_error=<code>` tells the SPA. */
type AuthErrorCode =
  | 'invalid_state'
  | 'access_denied'
  | 'login_refused'
  | 'upstream_unavailable'
  | 'session_unavailable';

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const random = () => randomBytes(32).toString('base64url');

/** The `nonce` claim of an id_token; the token came straight from OneAccess over TLS. */
function nonceOf(idToken: string): unknown {
  try {
    return (
      JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
        nonce?: unknown;
      }
    ).nonce;
  } catch {
    return undefined;
  }
}

/**
 * OneAccess's OAuth2 / OIDC redirect login (bff-api.md section 4, last two rows). The session
 * cookie is SameSite=Strict and the callback arrives as a cross-site navigation, so the pre-login
 * record is kept server-side under the single-use `state` and bound to the browser by a short
 * SameSite=Lax transaction cookie that the callback checks and deletes (security.md 3, 23;
 * "complaints" 8 and 9: one record per login attempt, so parallel tabs do not clobber each other).
 */
@Injectable()
export class OAuthLoginService {
  constructor(
    private readonly oauth: OAuthClient,
    private readonly login: LoginService,
    private readonly audit: AuditLog,
    @Inject(ONE_TIME_STORE) private readonly transactions: OneTimeStore,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(sessionConfig.KEY) private readonly session: ConfigType<typeof sessionConfig>,
    @Inject(oneAccessConfig.KEY) private readonly oneAccess: ConfigType<typeof oneAccessConfig>,
  ) {}

  /** Starts a login: records the transaction and answers OneAccess's authorize URL. */
  async start(cookies: Cookies, returnTo: string | undefined): Promise<string> {
    const state = random();
    const nonce = random();
    const binding = random();
    const record: Transaction = {
      nonce,
      return_to: confinedReturnTo(returnTo, this.app.basePath),
      binding: sha256(binding).toString('base64url'),
    };
    await this.transactions.put(`oauth:${state}`, JSON.stringify(record), TRANSACTION_TTL_S);
    cookies.set(this.cookieName, binding, {
      ...this.cookieOptions,
      maxAge: TRANSACTION_TTL_S * 1000,
    });
    return this.oauth.authorizeUrl({
      redirectUri: this.callbackUrl,
      state,
      nonce,
      scope: this.oneAccess.oauthScope,
    });
  }

  /**
   * Completes a login from OneAccess's callback and answers where to send the browser: the
   * transaction's `return_to`, or the SPA's home with `auth_error` when anything is off.
   * Never throws: a callback is a navigation, a JSON error would strand the user.
   */
  async complete(
    session: SessionHandle,
    cookies: Cookies,
    query: { code?: string; state?: string; error?: string },
  ): Promise<string> {
    const binding = cookies.get(this.cookieName);
    cookies.clear(this.cookieName, this.cookieOptions);
    try {
      const raw = query.state ? await this.transactions.take(`oauth:${query.state}`) : null;
      const tx = raw ? (JSON.parse(raw) as Transaction) : null;
      if (
        !tx ||
        !binding ||
        !timingSafeEqual(sha256(binding), Buffer.from(tx.binding, 'base64url'))
      ) {
        return this.failed('invalid_state');
      }
      if (query.error || !query.code) return this.failed('access_denied', query.error);

      const tokens = await this.oauth.exchangeCode(query.code, this.callbackUrl);
      if (
        tokens.id_token &&
        nonceOf(tokens.id_token) !== undefined &&
        nonceOf(tokens.id_token) !== tx.nonce
      ) {
        return this.failed('login_refused', 'id_token nonce mismatch');
      }
      const info = await this.oauth.getUserInfo(tokens.access_token);
      const now = Date.now();
      await this.login.establish(session, {
        method: 'oauth',
        user: {
          id: info.id,
          user_name: info.userName ?? '',
          name: info.name ?? '',
          mobile: info.mobile ?? '',
          email: info.email ?? '',
        },
        tokens: {
          access_token: tokens.access_token,
          access_token_expires_at: tokens.expires_in ? now + tokens.expires_in * 1000 : undefined,
          access_token_issued_at: now,
          refresh_token: tokens.refresh_token,
          id_token: tokens.id_token,
          id_token_expires_at: jwtExpiryMs(tokens.id_token),
          id_token_issued_at: now,
        },
      });
      return this.app.publicOrigin + tx.return_to;
    } catch (err) {
      if (
        err instanceof UpstreamError &&
        (err.code === 'UPSTREAM_REJECTED' || err.code === 'INVALID_CREDENTIALS')
      ) {
        return this.failed('login_refused', err.upstreamCode);
      }
      if (err instanceof AppError && err.code === 'SESSION_STORE_UNAVAILABLE')
        return this.failed('session_unavailable');
      if (err instanceof AppError) return this.failed('upstream_unavailable', err.code);
      throw err;
    }
  }

  private failed(code: AuthErrorCode, detail?: string): string {
    this.audit.record('login_failure', {
      method: 'oauth',
      detail: detail ? `${code}: ${detail}` : code,
    });
    return `${this.app.publicOrigin}${this.home}?auth_error=${code}`;
  }

  private get home(): string {
    return `${this.app.basePath}/`;
  }

  private get callbackUrl(): string {
    return this.app.oauthRedirectUri;
  }

  /**
   * `__Host-bff-oauth` beside `__Host-bff` (`__Secure-bff-oauth` under a prefix): host-only,
   * Secure, the session cookie's Path, and Lax so the callback carries it.
   */
  private get cookieName(): string {
    return `${this.session.cookieName}-oauth`;
  }

  private get cookieOptions() {
    return {
      httpOnly: true,
      secure: this.session.cookieSecure,
      sameSite: 'lax' as const,
      path: this.session.cookiePath,
    };
  }
}
