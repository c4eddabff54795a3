import { Credential, CredentialStore, freezeStored, StoredCredential } from './credential';

interface Entry {
  /** Frozen, and handed out as it is until the next write (the CredentialStore contract). */
  stored: StoredCredential;
  expiresAt: number;
}

/**
 * Credentials in this process, for development without Redis. Keeps the CredentialStore
 * contract as the Redis store does (frozen, identity-stable records, compare-and-set, lock),
 * bounded in size.
 */
export class MemoryCredentialStore implements CredentialStore {
  private readonly entries = new Map<string, Entry>();
  private readonly locks = new Map<string, number>();
  private readonly users = new Map<string, { sid: string; createdAt: number }[]>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(sid: string): Promise<StoredCredential | null> {
    const e = this.live(sid);
    return Promise.resolve(e ? e.stored : null);
  }

  create(sid: string, credential: Credential, ttlS: number): Promise<void> {
    this.write(sid, 1, credential, ttlS);
    return Promise.resolve();
  }

  replace(sid: string, version: number, credential: Credential, ttlS: number): Promise<boolean> {
    const e = this.live(sid);
    if (!e || e.stored.version !== version) return Promise.resolve(false);
    this.write(sid, version + 1, credential, ttlS);
    return Promise.resolve(true);
  }

  delete(sid: string): Promise<boolean> {
    return Promise.resolve(this.live(sid) !== undefined && this.entries.delete(sid));
  }

  indexSession(userId: string, sid: string, createdAt: number): Promise<void> {
    const list = (this.users.get(userId) ?? []).filter((e) => e.sid !== sid);
    list.push({ sid, createdAt });
    list.sort((a, b) => a.createdAt - b.createdAt);
    this.users.set(userId, list);
    return Promise.resolve();
  }

  countIndexed(): Promise<number> {
    let count = 0;
    for (const list of this.users.values()) count += list.length;
    return Promise.resolve(count);
  }

  userSessions(userId: string): Promise<string[]> {
    return Promise.resolve((this.users.get(userId) ?? []).map((e) => e.sid));
  }

  unindexSession(userId: string, sid: string): Promise<void> {
    const list = (this.users.get(userId) ?? []).filter((e) => e.sid !== sid);
    if (list.length > 0) this.users.set(userId, list);
    else this.users.delete(userId);
    return Promise.resolve();
  }

  tryLock(sid: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const until = this.locks.get(sid);
    if (until !== undefined && until > this.now()) return Promise.resolve(null);
    const mine = this.now() + ttlMs;
    this.locks.set(sid, mine);
    return Promise.resolve(async () => {
      if (this.locks.get(sid) === mine) this.locks.delete(sid);
      return Promise.resolve();
    });
  }

  private write(sid: string, version: number, credential: Credential, ttlS: number): void {
    this.entries.delete(sid);
    // A copy, as Redis would hold: the caller may go on changing its own object.
    const copy = JSON.parse(JSON.stringify(credential)) as Credential;
    this.entries.set(sid, {
      stored: freezeStored({ version, credential: copy }),
      expiresAt: this.now() + ttlS * 1000,
    });
    while (this.entries.size > this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
  }

  private live(sid: string): Entry | undefined {
    const e = this.entries.get(sid);
    if (e && e.expiresAt <= this.now()) {
      this.entries.delete(sid);
      return undefined;
    }
    return e;
  }
}
