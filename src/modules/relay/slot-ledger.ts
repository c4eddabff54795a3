import cluster, { Worker } from 'node:cluster';
import { SessionSlots, SlotBank } from './session-slots';

/** The IPC message of the relay's slot protocol between workers and the primary. */
const SLOT_MESSAGE = 'bff:relay-slots';

interface SlotMessage {
  type: typeof SLOT_MESSAGE;
  /** want/give: worker to primary; grant/recall: primary to worker. */
  op: 'want' | 'give' | 'grant' | 'recall';
  sid: string;
  n: number;
}

interface Account {
  /** Slots leased out, all workers together (never above the share). */
  total: number;
  byWorker: Map<number, number>;
  /** Workers waiting for a slot, one entry per slot asked, first come first served. */
  wants: number[];
}

/**
 * The primary's side of the per-session share in a cluster: it leases each session's `share`
 * slots to the workers, so that the calls of one session in progress on all workers together
 * never exceed the share. Workers ask only beyond what they hold (session-slots.ts), so this is
 * off the path of most calls. Transport-free, so it is tested without processes.
 */
export class SlotLedger {
  private readonly accounts = new Map<string, Account>();

  constructor(
    private readonly share: number,
    private readonly send: (worker: number, op: 'grant' | 'recall', sid: string, n: number) => void,
  ) {}

  want(worker: number, sid: string): void {
    let a = this.accounts.get(sid);
    if (a === undefined) {
      a = { total: 0, byWorker: new Map(), wants: [] };
      this.accounts.set(sid, a);
    }
    if (a.total < this.share) return this.lease(a, worker, sid);
    a.wants.push(worker);
    this.recall(a, sid, worker);
  }

  give(worker: number, sid: string, n: number): void {
    const a = this.accounts.get(sid);
    const had = a?.byWorker.get(worker) ?? 0;
    if (a === undefined || had === 0) return;
    const back = Math.min(n, had);
    a.total -= back;
    if (had === back) a.byWorker.delete(worker);
    else a.byWorker.set(worker, had - back);
    this.serve(a, sid);
  }

  /** A worker exited: its leases and wants end with it. */
  dropWorker(worker: number): void {
    for (const [sid, a] of this.accounts) {
      a.total -= a.byWorker.get(worker) ?? 0;
      a.byWorker.delete(worker);
      a.wants = a.wants.filter((w) => w !== worker);
      this.serve(a, sid);
    }
  }

  /** Slots of `sid` leased out (tests). */
  leased(sid: string): number {
    return this.accounts.get(sid)?.total ?? 0;
  }

  /** Sessions with a lease or a want. */
  get size(): number {
    return this.accounts.size;
  }

  private serve(a: Account, sid: string): void {
    while (a.total < this.share && a.wants.length > 0) this.lease(a, a.wants.shift()!, sid);
    // A grant ends a worker's recall (session-slots.ts); while others still wait, renew it.
    if (a.wants.length > 0) this.recall(a, sid, a.wants[0]);
    else if (a.total === 0) this.accounts.delete(sid);
  }

  /** The share is out: asks the holders other than `waiting` to hand back what they keep unused. */
  private recall(a: Account, sid: string, waiting: number): void {
    for (const [holder, n] of a.byWorker)
      if (holder !== waiting && n > 0) this.send(holder, 'recall', sid, 0);
  }

  private lease(a: Account, worker: number, sid: string): void {
    a.total++;
    a.byWorker.set(worker, (a.byWorker.get(worker) ?? 0) + 1);
    this.send(worker, 'grant', sid, 1);
  }
}

const isSlotMessage = (m: unknown): m is SlotMessage =>
  (m as SlotMessage | null)?.type === SLOT_MESSAGE;

/** Primary side (WORKERS > 1): keeps the ledger of every session's share for all workers. */
export function serveRelaySlots(share: number): SlotLedger {
  const ledger = new SlotLedger(share, (id, op, sid, n) => {
    const worker = cluster.workers?.[id];
    if (worker?.isConnected())
      worker.send({ type: SLOT_MESSAGE, op, sid, n } satisfies SlotMessage);
  });
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isSlotMessage(message)) return;
    if (message.op === 'want') ledger.want(worker.id, message.sid);
    else if (message.op === 'give') ledger.give(worker.id, message.sid, message.n);
  });
  cluster.on('exit', (worker) => ledger.dropWorker(worker.id));
  return ledger;
}

/** Worker side: a bank that asks the primary, and routes its answers to `slots`. */
export function primaryBank(slots: () => SessionSlots): SlotBank {
  process.on('message', (message: unknown) => {
    if (!isSlotMessage(message)) return;
    if (message.op === 'grant') slots().granted(message.sid, message.n);
    else if (message.op === 'recall') slots().recalled(message.sid);
  });
  const send = (op: 'want' | 'give', sid: string, n: number) =>
    process.send?.({ type: SLOT_MESSAGE, op, sid, n } satisfies SlotMessage);
  return { want: (sid) => send('want', sid, 1), give: (sid, n) => send('give', sid, n) };
}
