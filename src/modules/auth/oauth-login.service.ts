import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { createHash, randomBytes } from 'node:crypto';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError, UpstreamError } from '../../common/errors/app-error';
import { SessionCipher } from '../../common/crypto/session-cipher';
import { ONE_TIME_STORE, OneTimeStore } from '../../common/session/one-time.store';
import { SESSION_CIPHER } from '../../common/session/session-store.provider';
import { appConfig } from '../../config/app.config';
import { oneAccessConfig } from '../../config/oneaccess.config';
import { sessionConfig } from '../../config/session.config';
import { IdTokenRejectedError, IdTokenVerifier } from '../oneaccess/id-token.verifier';
import { OAuthClient } from '../oneaccess/oauth.client';
import { LoginService } from './login.service';
import type { Cookies } from './response-cookies.decorator';
import { confinedReturnTo } from './return-to';
import { SessionHandle } from './session-handle';

function hasOpenId(scope: string): boolean {
  return scope.split(' ').includes('openid');
}

/** The pre-login record lives 10 minutes (docs/api.md section 2, docs/security.md 23). */
const TRANSACTION_TTL_S = 600;
/**
 * Logins one browser may have in progress at once (tabs): the next one drops the oldest. Far
 * above what a person opens; per-address rate limits bound what a script can start.
 */
export const MAX_TRANSACTIONS_PER_BROWSER = 10;
/** A transaction cookie value as we issue it: 32 random bytes, base64url. */
const BINDING = /^[A-Za-z0-9_-]{43}$/;

/**
 * The pre-login record, encrypted at rest. There is one per login attempt, stored under a key
 * derived from its `state` AND the browser's transaction cookie, so only the browser that
 * started the login can find (and use up) it: a callback without that cookie reads nothing and
 * leaves the login in progress alone. Every login a browser starts shares its cookie, so logins
 * in parallel tabs each complete.
 */
interface Transaction {
  nonce: string;
  return_to: string;
  /** PKCE verifier (RFC 7636), absent when OAUTH_PKCE=false. */
  code_verifier?: string;
}

/** Why a callback failed, as `/?auth_error=<code>` tells the SPA. */
type AuthErrorCode =
  | 'invalid_state'
  | 'access_denied'
  | 'login_refused'
  | 'invalid_id_token'
  | 'upstream_unavailable'
  | 'session_unavailable';

const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url');
/** 32 random bytes: 43 base64url characters, also a valid PKCE verifier (RFC 7636 §4.1). */
const random = () => randomBytes(32).toString('base64url');

/**
 * The store keys of a browser's transactions and of one of them: neither the state nor the
 * cookie value appears in them. The browser's hash is a Redis Cluster hash tag, so a record and
 * its browser's index live in one slot.
 */
const browserGroup = (binding: string) => `oauth:{${sha256(binding)}}`;
const transactionKey = (state: string, binding: string) =>
  `${browserGroup(binding)}:${sha256(`${state}\u0000${binding}`)}`;

/**
 * OneAccess's OAuth2 / OIDC redirect login (docs/api.md section 4, last two rows). The session
 * cookie is SameSite=Strict and the callback arrives as a cross-site navigation, so the pre-login
 * record is kept server-side under the single-use `state` and bound to the browser by a short
 * SameSite=Lax transaction cookie that the callback checks, and deletes with the browser's last
 * login in progress (docs/security.md 3, 23): one record per login attempt under one cookie per
 * browser, so parallel tabs do not clobber each other.
 */
@Injectable()
export class OAuthLoginService {
  constructor(
    private readonly oauth: OAuthClient,
    private readonly idTokens: IdTokenVerifier,
    private readonly login: LoginService,
    private readonly audit: AuditLog,
    @Inject(ONE_TIME_STORE) private readonly transactions: OneTimeStore,
    @Inject(SESSION_CIPHER) private readonly cipher: SessionCipher,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
    @Inject(sessionConfig.KEY) private readonly session: ConfigType<typeof sessionConfig>,
    @Inject(oneAccessConfig.KEY) private readonly oneAccess: ConfigType<typeof oneAccessConfig>,
  ) {}

  /** Starts a login: records the transaction and answers OneAccess's authorize URL. */
  async start(cookies: Cookies, returnTo: string | undefined): Promise<string> {
    const state = random();
    const nonce = random();
    // A login already in progress in another tab keeps its cookie, so both can complete.
    const current = cookies.get(this.cookieName);
    const binding = current && BINDING.test(current) ? current : random();
    const record: Transaction = {
      nonce,
      return_to: confinedReturnTo(returnTo, this.app.basePath),
    };
    if (this.oneAccess.oauthPkce) record.code_verifier = random();
    const key = transactionKey(state, binding);
    await this.transactions.put(
      { name: browserGroup(binding), max: MAX_TRANSACTIONS_PER_BROWSER },
      key,
      this.cipher.encrypt(JSON.stringify(record), key),
      TRANSACTION_TTL_S,
    );
    cookies.set(this.cookieName, binding, {
      ...this.cookieOptions,
      maxAge: TRANSACTION_TTL_S * 1000,
    });
    return this.oauth.authorizeUrl({
      redirectUri: this.callbackUrl,
      state,
      nonce,
      scope: this.oneAccess.oauthScope,
      codeChallenge: record.code_verifier && sha256(record.code_verifier),
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
    // Without this browser's transaction cookie nothing is looked up, so nothing is used up.
    if (!binding || !query.state) return this.failed('invalid_state', 'no transaction cookie');
    try {
      const { tx, left } = await this.takeTransaction(query.state, binding);
      if (!tx) return this.failed('invalid_state');
      // Another tab's login still needs the cookie; the last one out removes it.
      if (left === 0) cookies.clear(this.cookieName, this.cookieOptions);
      if (query.error || !query.code) return this.failed('access_denied', query.error);

      const tokens = await this.oauth.exchangeCode(query.code, this.callbackUrl, tx.code_verifier);
      const claims =
        tokens.id_token !== undefined || hasOpenId(this.oneAccess.oauthScope)
          ? await this.idTokens.verify(tokens.id_token, tx.nonce)
          : undefined;
      const info = await this.oauth.getUserInfo(tokens.access_token);
      // OIDC Core 5.3.2: a userinfo `sub` must be the id_token's, or the answer is someone else's.
      if (claims && info.sub !== undefined && info.sub !== claims.sub)
        return this.failed('invalid_id_token', 'userinfo_sub_mismatch');
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
          id_token_expires_at: claims?.exp === undefined ? undefined : claims.exp * 1000,
          id_token_issued_at: now,
        },
      });
      return this.app.publicOrigin + tx.return_to;
    } catch (err) {
      if (err instanceof IdTokenRejectedError) return this.failed('invalid_id_token', err.reason);
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

  /**
   * The transaction of this state and browser, used up (null when there is none, or it is
   * unreadable), and how many other logins this browser has in progress.
   */
  private async takeTransaction(
    state: string,
    binding: string,
  ): Promise<{ tx: Transaction | null; left: number }> {
    const key = transactionKey(state, binding);
    const { value, left } = await this.transactions.take(browserGroup(binding), key);
    if (!value) return { tx: null, left };
    try {
      return { tx: JSON.parse(this.cipher.decrypt(value, key)) as Transaction, left };
    } catch {
      // Written under a key no longer configured, or altered in the store.
      return { tx: null, left };
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
