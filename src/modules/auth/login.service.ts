import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AuditEvent, AuditLog } from '../../common/audit/audit-log';
import { AppError, UpstreamError } from '../../common/errors/app-error';
import type { Credential } from '../../common/session/credential';
import type {
  LoginMethod,
  PendingStep,
  SessionTokens,
  SessionUser,
} from '../../common/session/session.types';
import { sessionConfig } from '../../config/session.config';
import { LoginResult } from '../oneaccess/oneaccess.types';
import { SdkLoginClient } from '../oneaccess/sdk-login.client';
import { SsoClient } from '../oneaccess/sso.client';
import { Metrics } from '../metrics/metrics';
import { CredentialService } from '../tokens/credential.service';
import { SessionRegistry } from '../tokens/session-registry';
import { jwtExpiryMs } from '../tokens/jwt-expiry';
import { SessionView } from './auth.types';
import { LoginProtectionService } from './login-protection.service';
import { SessionHandle } from './session-handle';
import { sessionViewOf } from './session-view';

/** OneAccess's answer to a state_token it no longer accepts (guess shared with the simulator). */
const INVALID_STATE_TOKEN = 'PARAM.0014';

/** What a completed login stores: OneAccess's tokens and how the user signed in. */
export interface EstablishedLogin {
  tokens: SessionTokens;
  method: LoginMethod;
  /** Known already (OAuth userinfo); otherwise fetched through the SSO ticket. */
  user?: SessionUser;
}

/**
 * Turns OneAccess login results into session state: a pending step kept server-side with its
 * state_token, or a completed login (user fetched through the SSO ticket, session id regenerated,
 * tokens stored). Every login-type endpoint ends here, so they all answer the same session view.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly sdk: SdkLoginClient,
    private readonly sso: SsoClient,
    private readonly credentials: CredentialService,
    private readonly registry: SessionRegistry,
    private readonly auditLog: AuditLog,
    private readonly metrics: Metrics,
    private readonly protection: LoginProtectionService,
    @Inject(sessionConfig.KEY) private readonly cfg: ConfigType<typeof sessionConfig>,
  ) {}

  /**
   * Runs one OneAccess login-type call and applies its result. A refused state_token ends the
   * pending step, so the browser sees ANONYMOUS rather than a step it can never finish.
   * @throws AppError ACCESS_DENIED; UpstreamError INVALID_CREDENTIALS, ACCOUNT_LOCKED, UPSTREAM_*
   */
  async attempt(
    session: SessionHandle,
    method: LoginMethod,
    call: () => Promise<LoginResult>,
  ): Promise<SessionView> {
    let result: LoginResult;
    try {
      result = await call();
    } catch (err) {
      if (err instanceof UpstreamError && err.upstreamCode === INVALID_STATE_TOKEN)
        delete session.data.pending;
      this.audit('login_failure', method, session, err instanceof AppError ? err.code : 'INTERNAL');
      throw err;
    }
    return this.apply(session, method, result);
  }

  /** The session view of the current session. */
  view(session: SessionHandle): SessionView {
    const c = session.credential?.credential;
    return sessionViewOf(
      session.data,
      c ? { credential: c, ...this.credentials.expiry(c) } : null,
      Date.now(),
    );
  }

  private async apply(
    session: SessionHandle,
    method: LoginMethod,
    result: LoginResult,
  ): Promise<SessionView> {
    switch (result.status) {
      case 'SUCCESS':
        return this.establish(session, {
          method,
          tokens: {
            session_token: result.session_token,
            session_token_expires_at: result.expire ? Date.now() + result.expire * 1000 : undefined,
            session_token_issued_at: Date.now(),
            id_token: result.id_token,
            id_token_expires_at: jwtExpiryMs(result.id_token),
            id_token_issued_at: Date.now(),
          },
        });
      case 'ACCESS_DENIED':
        delete session.data.pending;
        this.audit('login_failure', method, session, 'ACCESS_DENIED');
        throw new AppError('ACCESS_DENIED');
      case 'MFA_AUTH': {
        const mobile = await this.sdk.getMfaMobile(session.device(), result.state_token);
        return this.pend(session, {
          status: result.status,
          state_token: result.state_token,
          login_method: method,
          mobile,
        });
      }
      case 'PASSWORD_WARN':
        return this.pend(session, {
          status: result.status,
          state_token: result.state_token,
          login_method: method,
          password_policy: result.password_policy,
        });
      case 'PASSWORD_EXPIRED':
        return this.pend(session, {
          status: result.status,
          state_token: result.state_token,
          login_method: method,
        });
      case 'SOCIAL_BIND':
        return this.pend(session, {
          status: result.status,
          state_token: result.state_token,
          login_method: method,
          provider: method === 'alipay' ? 'alipay' : 'wechat',
        });
    }
  }

  private async pend(
    session: SessionHandle,
    step: Omit<PendingStep, 'expires_at'>,
  ): Promise<SessionView> {
    // A new login replaces any earlier pending step.
    const expiresAt = Date.now() + this.cfg.pendingStepTtlS * 1000;
    session.data.pending = { ...step, expires_at: expiresAt };
    // Signed in already: the fast session view reads only the credential record, so it must
    // learn there that express-session's record now holds a step (SessionViewHandler). A lost
    // compare-and-set (an activity write) is retried on the fresh record.
    let stored = session.credential;
    for (let attempt = 0; stored && attempt < 3; attempt++) {
      const marked = { ...stored.credential, pending_until: expiresAt };
      if (await this.credentials.replace(session.id, stored.version, marked)) {
        session.credential = { version: stored.version + 1, credential: marked };
        break;
      }
      stored = await this.credentials.get(session.id);
    }
    this.audit('login_step_required', step.login_method, session, step.status);
    return this.view(session);
  }

  /**
   * Completes a login: fetches the user (unless given), regenerates the session id, and writes the
   * credential record under the new id (the old one, if any, is deleted). The fingerprint
   * survives, as the SSO calls require.
   * @throws UpstreamError when the SSO ticket calls fail; AppError SESSION_STORE_UNAVAILABLE
   */
  async establish(session: SessionHandle, login: EstablishedLogin): Promise<SessionView> {
    const fingerprint = session.device().fingerprint;
    const user = login.user ?? (await this.fetchUser(session, login.tokens.session_token!));
    // The pre-login session's id, so the success can be joined to the steps that led to it.
    const preLogin = session.id;
    const previous = session.data.signed_in
      ? { sid: session.id, credential: session.credential?.credential }
      : undefined;
    await session.regenerate();
    if (previous) await this.registry.forget(previous.sid, previous.credential, 'replaced');
    const now = Date.now();
    const credential: Credential = {
      user,
      login_method: login.method,
      fingerprint,
      created_at: now,
      last_seen_at: now,
      ip: session.facts().ip ?? '',
      user_agent: (session.facts().userAgent ?? '').slice(0, 256),
      tokens: login.tokens,
    };
    await this.credentials.create(session.id, credential);
    await this.registry.register(session.id, credential);
    Object.assign(session.data, { signed_in: true, created_at: now, fingerprint });
    session.credential = { version: 1, credential };
    this.audit('login_success', login.method, session, undefined, preLogin);
    await this.protection.learnAccount(user);
    return this.view(session);
  }

  private async fetchUser(session: SessionHandle, sessionToken: string): Promise<SessionUser> {
    const device = session.device();
    const ticket = await this.sso.createSsoTicket(device, sessionToken);
    const user = await this.sso.verifySsoTicket(device, ticket.sso_ticket);
    return {
      id: user.id,
      user_name: user.userName ?? '',
      name: user.name ?? '',
      mobile: user.mobile ?? '',
      email: user.email ?? '',
    };
  }

  private audit(
    event: AuditEvent,
    method: LoginMethod,
    session: SessionHandle,
    detail?: string,
    previousSessionId?: string,
  ): void {
    const previous = previousSessionId ? this.auditLog.sessionHash(previousSessionId) : undefined;
    // Who: the signed-in user on success, else the account the request tried (if it named one).
    const user =
      event === 'login_success'
        ? session.credential?.credential.user.id
        : (session.credential?.credential.user.id ?? session.attemptedAccount());
    this.auditLog.record(event, { method, detail, previous_session: previous }, session.id, {
      user,
      client: session.facts().ip,
    });
    const outcome =
      event === 'login_success' ? 'success' : event === 'login_step_required' ? 'step' : 'failure';
    this.metrics.logins.inc({ method, outcome });
  }
}
