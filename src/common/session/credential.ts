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
   * session (a second login started): the fast session view then defers to the full one.
   */
  pending_until?: number;
}

/** A credential as read, with the version a conditional write must name. */
export interface StoredCredential {
  version: number;
  credential: Credential;
}

export const CREDENTIAL_STORE = Symbol('CREDENTIAL_STORE');

/**
 * Storage of credentials by session id. Two implementations: Redis (shared by every instance)
 * and an in-process one for development without Redis.
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
  delete(sid: string): Promise<void>;
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
