import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { createHmac } from 'node:crypto';
import { Store } from 'express-session';
import { AuditLog } from '../../common/audit/audit-log';
import { accountName } from '../../common/session/account-name';
import { Credential, StoredCredential } from '../../common/session/credential';
import { SESSION_STORE } from '../../common/session/session-store.provider';
import { EXPIRED_RECORD_GRACE_S } from '../../common/session/session-ttl';
import { sessionConfig } from '../../config/session.config';
import { buildDeviceContext } from '../oneaccess/device-context';
import { SdkAccountClient } from '../oneaccess/sdk-account.client';
import { CredentialService } from './credential.service';
import type { SessionEndReason } from './session-events';

/**
 * Why a session is ended from outside its request: by an operator (admin API), by the user from
 * another of their sessions, by a password change, or to stay within the per-user limit.
 */
export type EndReason = Extract<
  SessionEndReason,
  'revoked' | 'ended_by_user' | 'password_changed' | 'evicted'
>;

/**
 * Every signed-in session of a user, across instances: registered at login, listed and ended by
 * the admin API (docs/security.md 30), and capped per user with the oldest evicted first (33). Ending
 * a session from outside its request deletes both of its records and, best effort, its
 * OneAccess session.
 */
@Injectable()
export class SessionRegistry {
  private readonly logger = new Logger('Sessions');
  private readonly refKey: Buffer;

  constructor(
    private readonly credentials: CredentialService,
    private readonly sdk: SdkAccountClient,
    private readonly audit: AuditLog,
    @Inject(SESSION_STORE) private readonly sessions: Store,
    @Inject(sessionConfig.KEY) private readonly cfg: ConfigType<typeof sessionConfig>,
  ) {
    // Derived from the signing secret: the same on every instance, so a session ref listed by one
    // instance is understood by the next. The label predates the name "session ref"; changing it
    // would change every listed ref.
    this.refKey = createHmac('sha256', cfg.secrets[0]).update('session-handle').digest();
  }

  /**
   * The *session ref*: the `id` a user sees for one of their sessions in "Your sessions", a keyed
   * hash of the session id, so it is stable for the session's life, is not the cookie value and
   * cannot be turned back into it.
   */
  sessionRefOf(sid: string): string {
    return createHmac('sha256', this.refKey).update(sid).digest('base64url').slice(0, 22);
  }

  /**
   * Records a new login and ends the user's oldest sessions beyond the limit. A session whose
   * account has a mobile is also indexed under it, for a password reset by SMS, which names only
   * the mobile (docs/api.md section 4).
   */
  async register(sid: string, credential: Credential): Promise<void> {
    const userId = credential.user.id;
    const ttlS = this.cfg.absoluteTimeoutS + EXPIRED_RECORD_GRACE_S;
    await this.credentials.indexSession(userId, sid, credential.created_at, ttlS);
    if (credential.user.mobile)
      await this.credentials.indexSession(
        this.mobileIndex(credential.user.mobile),
        sid,
        credential.created_at,
        ttlS,
      );
    if (this.cfg.maxSessionsPerUser === 0) return;
    const live = await this.live(userId);
    const excess = live.length - this.cfg.maxSessionsPerUser;
    for (const old of live.slice(0, Math.max(0, excess))) {
      if (old.sid !== sid) await this.end(old.sid, 'evicted', old);
    }
  }

  /** The user's live sessions, oldest first; index entries of vanished sessions are dropped. */
  async live(userId: string): Promise<Array<{ sid: string } & StoredCredential>> {
    const found: Array<{ sid: string } & StoredCredential> = [];
    for (const sid of await this.credentials.userSessions(userId)) {
      const stored = await this.credentials.get(sid);
      if (stored && !this.credentials.hasTimedOut(stored.credential))
        found.push({ sid, ...stored });
      else await this.credentials.unindexSession(userId, sid);
    }
    return found;
  }

  /**
   * Ends every live session of a user except `keep` (the caller's own, when a user ends their
   * other sessions); the admin API passes no `keep`.
   * @returns how many sessions were ended
   */
  async endAll(userId: string, reason: EndReason, keep?: string): Promise<number> {
    let ended = 0;
    for (const { sid, ...stored } of await this.live(userId)) {
      if (sid !== keep && (await this.end(sid, reason, stored))) ended += 1;
    }
    return ended;
  }

  /**
   * Ends every live session whose account has `mobile`, except `keep`: after a password reset by
   * SMS, whoever knew the old password may be signed in anywhere. Entries of sessions that ended
   * meanwhile are skipped and dropped, as in {@link live}.
   * @returns how many sessions were ended
   */
  endAllOfMobile(mobile: string, reason: EndReason, keep?: string): Promise<number> {
    return this.endAll(this.mobileIndex(mobile), reason, keep);
  }

  /** Drops an ended session from its user's index and its mobile's. */
  private async unindex(sid: string, user: Credential['user']): Promise<void> {
    await this.credentials.unindexSession(user.id, sid);
    if (user.mobile) await this.credentials.unindexSession(this.mobileIndex(user.mobile), sid);
  }

  /**
   * The index of a mobile's sessions: a pseudonym (the log key's, which outlives SESSION_SECRETS
   * rotations), so Redis key names do not give the number away, under a prefix no OneAccess user
   * id can have (a NUL), so it can share the per-user index's store functions.
   */
  private mobileIndex(mobile: string): string {
    return `\u0000mobile:${this.audit.pseudonym(accountName(mobile))}`;
  }

  /**
   * Forgets a session its own request is ending (logout, or a new login in its place): the
   * caller destroys the cookie session.
   */
  async forget(
    sid: string,
    credential: Credential | undefined,
    reason: Extract<SessionEndReason, 'logout' | 'replaced'>,
  ): Promise<void> {
    await this.credentials.end(sid, reason, credential?.user.id);
    if (credential) await this.unindex(sid, credential.user);
  }

  /**
   * Ends a session from outside it (admin, eviction): OneAccess logout (best effort), then both
   * records and the index entry. The browser's next call finds nothing and is anonymous.
   * @returns whether this call ended it (false: it was gone, or another caller ended it first)
   */
  async end(sid: string, reason: EndReason, stored?: StoredCredential | null): Promise<boolean> {
    const current = stored ?? (await this.credentials.get(sid));
    if (!current) return false;
    const c = current.credential;
    if (c.tokens.session_token) {
      const device = buildDeviceContext(
        { ip: c.ip, userAgent: c.user_agent, acceptLanguage: undefined },
        c.fingerprint,
      );
      await this.sdk
        .logout(device, c.tokens.session_token)
        .catch((err: { code?: string }) =>
          this.logger.warn({ event: 'upstream_logout_failed', code: err.code }),
        );
    }
    const ended = await this.credentials.end(sid, reason, c.user.id);
    await new Promise<void>((resolve) => this.sessions.destroy(sid, () => resolve()));
    await this.unindex(sid, c.user);
    if (!ended) return false;
    this.audit.record(
      reason === 'evicted' ? 'session_evicted' : 'session_revoked',
      { reason },
      sid,
      { user: c.user.id, client: c.ip || undefined },
    );
    return true;
  }
}
