import { Inject, Injectable, Optional } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import {
  Credential,
  CREDENTIAL_STORE,
  CredentialStore,
  StoredCredential,
} from '../../common/session/credential';
import { credentialEndsAt, credentialTtlSeconds } from '../../common/session/session-ttl';
import { sessionConfig } from '../../config/session.config';
import { Metrics } from '../metrics/metrics';

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

/**
 * The credential records of signed-in sessions: reading them, their lifetimes (idle and absolute
 * timeouts), and recording activity. Every write goes through the store's compare-and-set.
 */
@Injectable()
export class CredentialService {
  constructor(
    @Inject(CREDENTIAL_STORE) private readonly store: CredentialStore,
    @Inject(sessionConfig.KEY) private readonly cfg: ConfigType<typeof sessionConfig>,
    @Optional() metrics?: Metrics,
  ) {
    metrics?.countSessionsWith(cachedFor(LIVE_COUNT_CACHE_MS, () => store.countIndexed()));
  }

  get(sid: string): Promise<StoredCredential | null> {
    return this.store.get(sid);
  }

  create(sid: string, credential: Credential): Promise<void> {
    return this.store.create(sid, credential, this.ttl(credential));
  }

  delete(sid: string): Promise<void> {
    return this.store.delete(sid);
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

  hasTimedOut(c: Credential, now = Date.now()): boolean {
    return now >= credentialEndsAt(this.cfg, c);
  }

  /**
   * Moves the idle timer on when the recorded activity is older than the touch interval. A lost
   * race is fine: whoever won wrote an activity time at least as recent.
   */
  async recordActivity(
    sid: string,
    stored: StoredCredential,
    now = Date.now(),
  ): Promise<StoredCredential> {
    if (!this.activityDue(stored.credential, now)) return stored;
    const touched = { ...stored.credential, last_seen_at: now };
    return (await this.replace(sid, stored.version, touched))
      ? { version: stored.version + 1, credential: touched }
      : stored;
  }

  /**
   * Whether {@link recordActivity} would write: the hot paths ask first, so the common case (no
   * write due) costs no promise.
   */
  activityDue(c: Credential, now = Date.now()): boolean {
    return now - c.last_seen_at >= touchIntervalMs(this.cfg.idleTimeoutS);
  }

  private ttl(c: Credential): number {
    return credentialTtlSeconds(this.cfg, c);
  }
}
