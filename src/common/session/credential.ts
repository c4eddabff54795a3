import type { LoginMethod, SessionTokens, SessionUser } from './session.types';

/**
 * What a signed-in session holds, kept apart from express-session's record: every OneAccess
 * credential, who the user is, and the session's clocks. Written only by login, refresh and
 * activity, always with compare-and-set on `version`, so a concurrent /auth request can never
 * put back a token that a refresh just replaced. The relay reads this record alone: one GET.
 */
export interface Credential {
  user: SessionUser;
  login_method: LoginMethod;
  /** The login's X-device-fingerprint: OneAccess's SSO refresh insists on the same value. */
  fingerprint: string;
  /** Epoch ms. */
  created_at: number;
  /** Epoch ms of the last recorded activity (at most every touch interval). */
  last_seen_at: number;
  /** Where the login came from, for the admin API's session list. */
  ip: string;
  user_agent: string;
  tokens: SessionTokens;
  /**
   * Epoch ms until which express-session's record holds a pending login step of this signed-in
   * session (a second login started). The one fact of that other record the fast session view
   * needs: it reads this record alone, and nothing else here tells that a step is pending (the
   * step itself, with its state token, stays in express-session's record). Without it, every
   * poll would need a second Redis GET; with it, the view hands such a session to the Nest route
   * until the step is done or lapses. Written by the login that pends, dropped by the login that
   * completes (a new record).
   */
  pending_until?: number;
}

/** A credential as read, with the version a conditional write must name. */
export interface StoredCredential {
  version: number;
  credential: Credential;
}

/** Freezes a record as stores hand it out (the record, its user and tokens); returns it. */
export function freezeStored(stored: StoredCredential): StoredCredential {
  Object.freeze(stored.credential.user);
  Object.freeze(stored.credential.tokens);
  Object.freeze(stored.credential);
  return Object.freeze(stored);
}

export const CREDENTIAL_STORE = Symbol('CREDENTIAL_STORE');

/**
 * Storage of credentials by session id. Two implementations: Redis (shared by every instance)
 * and an in-process one for development without Redis. Both keep this contract, which
 * `test/credential-store.e2e-spec.ts` runs against each (Redis on a real redis-server):
 *
 * - **Reads.** `get` returns the record as last written, or null when there is none, its TTL has
 *   passed, or it does not decode (a record of another session id, or written with a key no
 *   longer configured). A returned record is frozen (itself, its `credential`, `user` and
 *   `tokens`): callers share it and copy to change. So an object, once handed out, stands for
 *   one stored state for ever, and a cache keyed by its identity (the session view's body,
 *   a `WeakMap`) can never serve a stale answer.
 * - **Identity.** While the stored record is unchanged, `get` on one instance returns the same
 *   object; any write (even of equal content) or delete makes the next `get` return another
 *   object, or null. This is for speed only and bounded: a store may forget what it decoded
 *   (the Redis store keeps the most recently read few thousand sessions) and return an equal new
 *   object. A caller may rely on "same object, same record", never on "new object, changed record".
 * - **Across instances.** Every `get` reads the shared store (no caching of the answer): what
 *   any instance wrote or deleted is what the next `get` anywhere returns, so a session ended on
 *   one instance is ended on all at once.
 * - **Writes.** `create` writes unconditionally; `replace` is a compare-and-set on the version,
 *   atomic across instances (of writers naming one version, exactly one succeeds); `delete`
 *   reports whether it removed a live record, and of concurrent deleters exactly one is told
 *   true (what lets an ending be audited and announced once). A store never keeps the
 *   caller's object: changing it after a write changes nothing stored.
 */
export interface CredentialStore {
  get(sid: string): Promise<StoredCredential | null>;
  /** Writes unconditionally (a completed login); the stored version becomes 1. */
  create(sid: string, credential: Credential, ttlS: number): Promise<void>;
  /**
   * Writes only when the stored version is still `version`, as `version + 1`.
   * @returns false when another writer got there first (or the record is gone).
   */
  replace(sid: string, version: number, credential: Credential, ttlS: number): Promise<boolean>;
  /** @returns whether this call removed a live record (false: none, or someone else's delete won). */
  delete(sid: string): Promise<boolean>;
  /** Adds a session to its user's index (for the admin API and the concurrent-session limit). */
  indexSession(userId: string, sid: string, createdAt: number, ttlS: number): Promise<void>;
  /** The user's indexed session ids, oldest first (some may have expired since). */
  userSessions(userId: string): Promise<string[]>;
  unindexSession(userId: string, sid: string): Promise<void>;
  /**
   * Indexed sessions not yet past their absolute lifetime, across instances (the live-sessions
   * gauge). Sessions that ended by idle timeout count until their index entry lapses.
   */
  countIndexed(): Promise<number>;
  /**
   * The per-session refresh lock, across every instance. Returns a release function, or null
   * while someone else holds it. The lock expires by itself after `ttlMs` (a crashed holder).
   */
  tryLock(sid: string, ttlMs: number): Promise<(() => Promise<void>) | null>;
}
