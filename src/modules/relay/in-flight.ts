/**
 * Counts the relayed calls each session has in progress, in this gateway process, and refuses one
 * more beyond `limit`. Entries are removed at zero, so the map holds only sessions with a call
 * running. Callers release exactly once per successful `tryAcquire` (on the response's 'close',
 * which Node emits on every end: finished, failed or aborted).
 */
export class InFlightCounter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Takes a slot for `key`; false (and nothing taken) when it already holds `limit`. */
  tryAcquire(key: string): boolean {
    const n = this.counts.get(key) ?? 0;
    if (n >= this.limit) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = this.counts.get(key);
    if (n === undefined) return;
    if (n <= 1) this.counts.delete(key);
    else this.counts.set(key, n - 1);
  }

  /** Calls in progress for `key` (tests and metrics). */
  current(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Sessions with at least one call in progress. */
  get size(): number {
    return this.counts.size;
  }
}
