import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import {
  Credential,
  CREDENTIAL_STORE,
  CredentialStore,
  StoredCredential,
} from '../../common/session/credential';
import { AuditLog } from '../../common/audit/audit-log';
import { credentialEndsAt, credentialTtlSeconds } from '../../common/session/session-ttl';
import { sessionConfig } from '../../config/session.config';
import { Metrics } from '../metrics/metrics';
import { SessionEndReason, SessionEvents } from './session-events';

/** Scrapes (every worker's, several Prometheus servers) share one count for this long. */
const LIVE_COUNT_CACHE_MS = 5000;

/** `read`, called at most once per `ms`; callers in between get the last value. */
function cachedFor(ms: number, read: () => Promise<number>): () => Promise<number> {
  let last: { at: number; value: Promise<number> } | null = null;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= ms) last = { at: now, value: read() };
    return last.value;
  };
}

/**
 * Activity is recorded at most this often, so a busy session is not rewritten on every request;
 * an idle session may therefore end up to this much before its exact idle timeout, never after.
 */
export function touchIntervalMs(idleTimeoutS: number): number {
  return Math.min(60_000, (idleTimeoutS * 1000) / 10);
}

/** What `aliveOrEnd` hands back: the live record now, or once its write or ending is done. */
export type Alive = StoredCredential | null | Promise<StoredCredential | null>;

/** The request that found a session timed out, as its `session_expired` audit line names it. */
export interface EndingRequest {
  /** Outside Express only: inside, the request's log context carries it already. */
  requestId?: string;
  /** The client address (as TRUST_PROXY resolves it). */
  client?: string;
}

/**
 * The credential records of signed-in sessions: reading them, their lifetimes (idle and absolute
 * timeouts), recording activity, and ending them. Every write goes through the store's
 * compare-and-set; every ending goes through {@link end}, which emits the session-ended event.
 */
@Injectable()
export class CredentialService {
  private readonly touchMs: number;

  constructor(
    @Inject(CREDENTIAL_STORE) private readonly store: CredentialStore,
    @Inject(sessionConfig.KEY) private readonly cfg: ConfigType<typeof sessionConfig>,
    private readonly audit: AuditLog,
    private readonly events: SessionEvents,
    @Optional() metrics?: Metrics,
  ) {
    this.touchMs = touchIntervalMs(cfg.idleTimeoutS);
    metrics?.countSessionsWith(cachedFor(LIVE_COUNT_CACHE_MS, () => store.countIndexed()));
  }

  get(sid: string): Promise<StoredCredential | null> {
    return this.store.get(sid);
  }

  create(sid: string, credential: Credential): Promise<void> {
    return this.store.create(sid, credential, this.ttl(credential));
  }

  /**
   * Ends a session: deletes its credential record and, when this call is the one that removed it
   * (on any instance), emits one session-ended event. The one way any code ends a session, so
   * every ending is seen by the event's listeners exactly once.
   * @returns whether this call ended it (false: already gone)
   * @throws AppError SESSION_STORE_UNAVAILABLE (nothing is emitted: the session may still live)
   */
  async end(sid: string, reason: SessionEndReason, userId?: string): Promise<boolean> {
    const ended = await this.store.delete(sid);
    if (ended) this.events.emitEnded({ sid, reason, userId, at: Date.now(), origin: 'local' });
    return ended;
  }

  /**
   * The one "alive, or end it" rule every path applies to a signed-in request (the relay, the
   * session view, AuthStateGuard): past its idle or absolute timeout the session is ended here,
   * with its `session_expired` audit line naming `by`, and the result is null; otherwise the
   * live record, with the activity recorded when due and `slide` is true
   * (`GET /auth/session?slide=false` polls without sliding, docs/security.md 27). A live record
   * with nothing to write comes back as it is, not in a promise: the hot paths await only when
   * work is due (CONTRIBUTING.md section 11). `by` null: the caller hands a timed-out session to
   * a path that ends it (the fast session view hands it to the Nest route, whose request it is
   * in the logs); the result is then null at once and nothing is ended.
   * @throws AppError SESSION_STORE_UNAVAILABLE (from the returned promise)
   */
  aliveOrEnd(
    sid: string,
    stored: StoredCredential,
    now: number,
    slide: boolean,
    by: EndingRequest | null,
  ): Alive {
    const c = stored.credential;
    if (now >= credentialEndsAt(this.cfg, c))
      return by && this.endTimedOut(sid, c, this.timeoutOf(c, now), by);
    if (!slide || now - c.last_seen_at < this.touchMs) return stored;
    return this.touch(sid, stored, now);
  }

  /** Replaces the record if still at `version`; see CredentialStore.replace. */
  replace(sid: string, version: number, credential: Credential): Promise<boolean> {
    return this.store.replace(sid, version, credential, this.ttl(credential));
  }

  indexSession(userId: string, sid: string, createdAt: number, ttlS: number): Promise<void> {
    return this.store.indexSession(userId, sid, createdAt, ttlS);
  }

  userSessions(userId: string): Promise<string[]> {
    return this.store.userSessions(userId);
  }

  unindexSession(userId: string, sid: string): Promise<void> {
    return this.store.unindexSession(userId, sid);
  }

  lock(sid: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
    return this.store.tryLock(sid, ttlMs);
  }

  /** When the session ends without activity, and for good (epoch ms). */
  expiry(c: Credential): { idle: number; absolute: number } {
    return {
      idle: credentialEndsAt(this.cfg, c),
      absolute: c.created_at + this.cfg.absoluteTimeoutS * 1000,
    };
  }

  /** Whether the session is past a timeout (listing sessions; requests use {@link aliveOrEnd}). */
  hasTimedOut(c: Credential, now = Date.now()): boolean {
    return now >= credentialEndsAt(this.cfg, c);
  }

  /** Which timeout ended a timed-out session: the absolute one when both have passed. */
  private timeoutOf(c: Credential, now: number): SessionEndReason {
    return now >= c.created_at + this.cfg.absoluteTimeoutS * 1000
      ? 'absolute_timeout'
      : 'idle_timeout';
  }

  private async endTimedOut(
    sid: string,
    c: Credential,
    reason: SessionEndReason,
    by: EndingRequest,
  ): Promise<null> {
    // Concurrent requests may all find it timed out: only the one whose delete removed it
    // writes the audit line (and end() the event).
    if (await this.end(sid, reason, c.user.id)) {
      this.audit.record(
        'session_expired',
        by.requestId === undefined ? {} : { request_id: by.requestId },
        sid,
        { user: c.user.id, client: by.client },
      );
    }
    return null;
  }

  /**
   * Moves the idle timer on. A lost race is fine: whoever won wrote an activity time at least as
   * recent.
   */
  private async touch(sid: string, stored: StoredCredential, now: number): Promise<StoredCredential> {
    const touched = { ...stored.credential, last_seen_at: now };
    return (await this.replace(sid, stored.version, touched))
      ? { version: stored.version + 1, credential: touched }
      : stored;
  }

  private ttl(c: Credential): number {
    return credentialTtlSeconds(this.cfg, c);
  }
}
