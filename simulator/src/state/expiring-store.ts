/** Result of {@link ExpiringStore.lookup}: an expired entry is told apart from an unknown one. */
export type Lookup<V> =
  { status: 'valid'; value: V; expiresAt: number } | { status: 'expired' } | { status: 'missing' };

// Expired entries are kept this long so "expired" can be told from "never issued", then dropped.
const RETENTION_MS = 60 * 60 * 1000;
const SWEEP_EVERY = 200;

/**
 * A Map whose entries expire. Expiry is checked lazily on read and swept now and then on write,
 * so the store never owns a timer and `close()` leaves nothing running.
 */
export class ExpiringStore<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  private writes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Stores `value` for `ttlMs` milliseconds from now. */
  set(key: K, value: V, ttlMs: number): void {
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    if (++this.writes % SWEEP_EVERY === 0) this.sweep();
  }

  lookup(key: K): Lookup<V> {
    const entry = this.entries.get(key);
    if (!entry) return { status: 'missing' };
    if (entry.expiresAt <= this.now()) return { status: 'expired' };
    return { status: 'valid', value: entry.value, expiresAt: entry.expiresAt };
  }

  /** The live value, or undefined when unknown or expired. */
  get(key: K): V | undefined {
    const found = this.lookup(key);
    return found.status === 'valid' ? found.value : undefined;
  }

  /** Milliseconds left for a live entry, 0 otherwise. */
  remainingMs(key: K): number {
    const found = this.lookup(key);
    return found.status === 'valid' ? found.expiresAt - this.now() : 0;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  /** Live entries only. */
  *values(): IterableIterator<V> {
    const now = this.now();
    for (const entry of this.entries.values()) if (entry.expiresAt > now) yield entry.value;
  }

  private sweep(): void {
    const cutoff = this.now() - RETENTION_MS;
    for (const [key, entry] of this.entries) if (entry.expiresAt < cutoff) this.entries.delete(key);
  }
}
