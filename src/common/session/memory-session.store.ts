import { SessionData, Store } from 'express-session';

interface Entry {
  json: string;
  expiresAt: number;
}

/**
 * A bounded in-process session store for development without Redis: entries expire, and the
 * least recently used one is evicted when full. express-session's MemoryStore has neither
 * bound (it grows without limit) and is unfit even for a long development session.
 * Values are stored serialised so that callers cannot mutate a stored session by reference,
 * as with a real store.
 */
export class MemorySessionStore extends Store {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlSeconds: (session: SessionData) => number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  override get(sid: string, cb: (err: unknown, session?: SessionData | null) => void): void {
    const entry = this.live(sid);
    if (!entry) return cb(null, null);
    // Map order doubles as recency order for eviction.
    this.entries.delete(sid);
    this.entries.set(sid, entry);
    cb(null, JSON.parse(entry.json) as SessionData);
  }

  override set(sid: string, session: SessionData, cb?: (err?: unknown) => void): void {
    const ttl = this.ttlSeconds(session);
    this.entries.delete(sid);
    if (ttl > 0) {
      this.entries.set(sid, { json: JSON.stringify(session), expiresAt: this.now() + ttl * 1000 });
      this.evict();
    }
    cb?.();
  }

  override touch(sid: string, session: SessionData, cb?: (err?: unknown) => void): void {
    const entry = this.live(sid);
    if (entry) entry.expiresAt = this.now() + this.ttlSeconds(session) * 1000;
    cb?.();
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.entries.delete(sid);
    cb?.();
  }

  override length(cb: (err: unknown, length?: number) => void): void {
    cb(null, this.entries.size);
  }

  private live(sid: string): Entry | undefined {
    const entry = this.entries.get(sid);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(sid);
      return undefined;
    }
    return entry;
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
