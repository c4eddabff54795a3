/**
 * Fair sharing of the relay among sessions: each session may have `share` calls in progress at
 * once; its calls beyond that wait in a bounded FIFO queue, for at most `waitMs`, and are refused
 * only when the queue is full or the wait runs out. A page's burst is then served a share at a
 * time instead of refused, while one session's hundreds of slow calls hold at most `share` of a
 * route's connections.
 *
 * With one process the share is counted here alone. In a cluster (WORKERS > 1) the primary owns
 * each session's share (slot-ledger.ts) and this process holds slots leased from it through a
 * {@link SlotBank}: a call runs at once on a slot the process already holds, so a session busy on
 * this worker costs no IPC; only a call beyond what the worker holds asks the primary, and slots
 * unused for a sweep interval (or recalled because another worker needs them) go back.
 */

/** Where a worker's slots come from in a cluster (the primary, over IPC). */
export interface SlotBank {
  /** Asks for one more slot for `sid`; the answer arrives as {@link SessionSlots.granted}. */
  want(sid: string): void;
  /** Gives `n` slots of `sid` back. */
  give(sid: string, n: number): void;
}

export interface SlotLimits {
  /** Calls of one session in progress at once (per instance). */
  share: number;
  /** Calls of one session waiting for a slot (per process). */
  queue: number;
  /** Longest wait for a slot before the call is refused. */
  waitMs: number;
}

/** How a queued call ended: a slot, a refusal (no room to wait, or waited too long), or its browser left. */
export type WaitOutcome = 'granted' | 'full' | 'timeout' | 'left';

/** A call waiting for a slot; the caller keeps it and hands it to {@link SessionSlots.leave} at its end. */
export interface Waiter {
  readonly sid: string;
  readonly queuedAt: number;
  /** 'waiting' until settled; 'granted' while it holds a slot; 'done' once nothing is held. */
  state: 'waiting' | 'granted' | 'done';
  readonly settled: Promise<WaitOutcome>;
}

interface QueuedWaiter extends Waiter {
  settle(outcome: WaitOutcome): void;
  timer?: NodeJS.Timeout;
}

interface Entry {
  used: number;
  /** Slots this process may use: the share alone, or what the primary leased in a cluster. */
  held: number;
  /** Slots asked of the primary and not yet granted. */
  asked: number;
  waiters: QueuedWaiter[];
  /** Used since the last sweep (cluster only: idle leases go back). */
  touched: boolean;
  /** Another worker waits for this session: give slots back instead of keeping them. */
  recalled: boolean;
}

/** How often a worker gives back the slots of sessions that were idle since the last sweep. */
const SWEEP_MS = 1000;

export class SessionSlots {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper?: NodeJS.Timeout;

  constructor(
    private readonly limits: SlotLimits,
    private readonly bank: SlotBank | null = null,
  ) {
    if (bank) {
      this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
      this.sweeper.unref();
    }
  }

  /** Takes a slot for `sid` at once if one is free and nobody of this session waits before it. */
  tryTake(sid: string): boolean {
    let e = this.entries.get(sid);
    if (e === undefined) {
      const held = this.bank ? 0 : this.limits.share;
      e = { used: 0, held, asked: 0, waiters: [], touched: true, recalled: false };
      this.entries.set(sid, e);
    }
    e.touched = true;
    if (e.waiters.length > 0 || e.used >= e.held) return false;
    e.used++;
    return true;
  }

  /**
   * Queues a call {@link tryTake} refused; null when the session's queue is full. In a cluster a
   * call waiting for a slot the worker does not hold yet is not counted against the queue: it
   * only waits for the primary's answer.
   */
  enqueue(sid: string): Waiter | null {
    const e = this.entries.get(sid)!;
    const asking = this.bank ? Math.max(0, this.limits.share - e.held) : 0;
    if (e.waiters.length >= this.limits.queue + asking) return null;
    let settle!: (outcome: WaitOutcome) => void;
    const settled = new Promise<WaitOutcome>((resolve) => (settle = resolve));
    const waiter: QueuedWaiter = {
      sid,
      queuedAt: performance.now(),
      state: 'waiting',
      settled,
      settle,
    };
    waiter.timer = setTimeout(() => this.expire(e, waiter), this.limits.waitMs);
    e.waiters.push(waiter);
    this.askIfShort(sid, e);
    return waiter;
  }

  /** Gives back a slot taken by {@link tryTake}. */
  release(sid: string): void {
    const e = this.entries.get(sid);
    if (e === undefined) return;
    e.used--;
    if (this.bank && (e.recalled || e.held > this.limits.share)) {
      e.held--;
      this.bank.give(sid, 1);
      this.askIfShort(sid, e);
    } else this.dispatch(e);
    this.forgetIfIdle(sid, e);
  }

  /** The end of a call that was queued: out of the queue if still waiting, its slot back if granted. */
  leave(waiter: Waiter): void {
    const w = waiter as QueuedWaiter;
    if (w.state === 'granted') {
      w.state = 'done';
      this.release(w.sid);
      return;
    }
    if (w.state !== 'waiting') return;
    const e = this.entries.get(w.sid)!;
    this.drop(e, w, 'left');
    this.forgetIfIdle(w.sid, e);
  }

  /** The primary leased `n` slots of `sid` to this worker. */
  granted(sid: string, n: number): void {
    const e = this.entries.get(sid);
    if (e === undefined) return this.bank?.give(sid, n);
    e.asked = Math.max(0, e.asked - n);
    e.held += n;
    e.recalled = false;
    this.dispatch(e);
  }

  /** Another worker waits for `sid`: hand back what this worker holds unused, and keep nothing spare. */
  recalled(sid: string): void {
    const e = this.entries.get(sid);
    if (e === undefined) return;
    e.recalled = true;
    const spare = e.held - e.used;
    if (spare > 0 && e.waiters.length === 0) {
      e.held -= spare;
      this.bank!.give(sid, spare);
    }
  }

  /** Calls of `sid` in progress and waiting in this process (tests). */
  current(sid: string): { used: number; waiting: number } {
    const e = this.entries.get(sid);
    return { used: e?.used ?? 0, waiting: e?.waiters.length ?? 0 };
  }

  /** Sessions this process tracks. */
  get size(): number {
    return this.entries.size;
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** Hands free slots to the oldest waiters. */
  private dispatch(e: Entry): void {
    while (e.waiters.length > 0 && e.used < e.held) {
      const w = e.waiters.shift()!;
      clearTimeout(w.timer);
      e.used++;
      w.state = 'granted';
      w.settle('granted');
    }
  }

  /** In a cluster: asks the primary for one slot per waiter not yet covered, up to the share. */
  private askIfShort(sid: string, e: Entry): void {
    if (!this.bank) return;
    while (e.asked < e.waiters.length && e.held + e.asked < this.limits.share) {
      e.asked++;
      this.bank.want(sid);
    }
  }

  private expire(e: Entry, w: QueuedWaiter): void {
    if (w.state !== 'waiting') return;
    this.drop(e, w, 'timeout');
    this.forgetIfIdle(w.sid, e);
  }

  private drop(e: Entry, w: QueuedWaiter, outcome: WaitOutcome): void {
    clearTimeout(w.timer);
    const at = e.waiters.indexOf(w);
    if (at >= 0) e.waiters.splice(at, 1);
    w.state = 'done';
    w.settle(outcome);
  }

  /** One process alone forgets a session with nothing running; a worker keeps its lease until a sweep. */
  private forgetIfIdle(sid: string, e: Entry): void {
    if (this.bank || e.used > 0 || e.waiters.length > 0) return;
    this.entries.delete(sid);
  }

  /** Gives back the leases of sessions idle for a whole sweep interval. */
  private sweep(): void {
    for (const [sid, e] of this.entries) {
      if (e.used > 0 || e.waiters.length > 0) continue;
      if (e.touched) {
        e.touched = false;
        continue;
      }
      if (e.held > 0) this.bank!.give(sid, e.held);
      this.entries.delete(sid);
    }
  }
}
