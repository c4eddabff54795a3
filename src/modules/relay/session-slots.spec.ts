import { SessionSlots, SlotBank } from './session-slots';
import { SlotLedger } from './slot-ledger';

const limits = { share: 2, queue: 2, waitMs: 10_000 };

/** Two workers' slots wired to one primary's ledger; `count` sees every message between them. */
function twoWorkers(share: number, queue: number, count: () => void = () => {}) {
  const workers = new Map<number, SessionSlots>();
  const ledger = new SlotLedger(share, (w, op, sid, n) => {
    count();
    queueMicrotask(() =>
      op === 'grant' ? workers.get(w)!.granted(sid, n) : workers.get(w)!.recalled(sid),
    );
  });
  for (const id of [1, 2])
    workers.set(
      id,
      new SessionSlots(
        { share, queue, waitMs: 10_000 },
        {
          want: (sid) => (count(), ledger.want(id, sid)),
          give: (sid, n) => (count(), ledger.give(id, sid, n)),
        },
      ),
    );
  return { workers, ledger };
}

describe('SessionSlots (one process)', () => {
  let slots: SessionSlots;
  beforeEach(() => (slots = new SessionSlots(limits)));
  afterEach(() => slots.close());

  it('should serve calls beyond the share first come first served, and refuse beyond the queue', async () => {
    expect(slots.tryTake('a')).toBe(true);
    expect(slots.tryTake('a')).toBe(true);
    expect(slots.tryTake('a')).toBe(false);
    const first = slots.enqueue('a')!;
    expect(slots.tryTake('a')).toBe(false);
    const second = slots.enqueue('a')!;
    expect(slots.tryTake('a')).toBe(false);
    expect(slots.enqueue('a')).toBeNull();
    // Another session is not affected.
    expect(slots.tryTake('b')).toBe(true);
    slots.release('a');
    await expect(first.settled).resolves.toBe('granted');
    expect(second.state).toBe('waiting');
    slots.leave(first);
    await expect(second.settled).resolves.toBe('granted');
    expect(slots.current('a')).toEqual({ used: 2, waiting: 0 });
  });

  it('should take a call whose browser left out of the queue, and give back a granted slot once', async () => {
    slots.tryTake('a');
    slots.tryTake('a');
    const left = slots.enqueue('a')!;
    const next = slots.enqueue('a')!;
    slots.leave(left);
    await expect(left.settled).resolves.toBe('left');
    slots.release('a');
    await expect(next.settled).resolves.toBe('granted');
    slots.leave(next);
    slots.leave(next);
    slots.release('a');
    expect(slots.size).toBe(0);
  });

  it('should refuse a call that waited too long', async () => {
    const quick = new SessionSlots({ ...limits, waitMs: 100 });
    quick.tryTake('a');
    quick.tryTake('a');
    const w = quick.enqueue('a')!;
    await expect(w.settled).resolves.toBe('timeout');
    expect(quick.current('a')).toEqual({ used: 2, waiting: 0 });
    quick.close();
  });
});

describe('SessionSlots leased from a SlotLedger (a cluster, without processes)', () => {
  it('should never let two workers together exceed the share, and move unused slots to where they are wanted', async () => {
    const workers = new Map<number, SessionSlots>();
    const ledger = new SlotLedger(limits.share, (w, op, sid, n) =>
      queueMicrotask(() =>
        op === 'grant' ? workers.get(w)!.granted(sid, n) : workers.get(w)!.recalled(sid),
      ),
    );
    const bank = (id: number): SlotBank => ({
      want: (sid) => ledger.want(id, sid),
      give: (sid, n) => ledger.give(id, sid, n),
    });
    const one = new SessionSlots(limits, bank(1));
    const two = new SessionSlots(limits, bank(2));
    workers.set(1, one).set(2, two);

    // The first call of a session on a worker asks the primary.
    expect(one.tryTake('a')).toBe(false);
    const a1 = one.enqueue('a')!;
    const a2 = one.enqueue('a')!;
    await expect(Promise.all([a1.settled, a2.settled])).resolves.toEqual(['granted', 'granted']);
    expect(ledger.leased('a')).toBe(2);
    // The other worker waits: the share is out.
    expect(two.tryTake('a')).toBe(false);
    const b1 = two.enqueue('a')!;
    await new Promise((r) => setImmediate(r));
    expect(b1.state).toBe('waiting');
    // A slot given back on worker one (recalled) goes to worker two.
    one.leave(a1);
    await expect(b1.settled).resolves.toBe('granted');
    expect(ledger.leased('a')).toBe(2);
    expect(one.current('a').used + two.current('a').used).toBe(2);
    one.leave(a2);
    two.leave(b1);
    await new Promise((r) => setImmediate(r));
    // Worker two keeps its slot for the next call: no asking.
    expect(two.tryTake('a')).toBe(true);
    two.release('a');
    ledger.dropWorker(2);
    ledger.dropWorker(1);
    expect(ledger.size).toBe(0);
    one.close();
    two.close();
  });
});

describe('SessionSlots of two workers under contention', () => {
  it('should serve every call of a session busy on both workers, never above the share', async () => {
    const { workers } = twoWorkers(2, 10);
    const tick = () => new Promise((r) => setImmediate(r));
    const calls = [1, 2, 1, 2, 1, 2, 1, 2].map((id) => {
      const slots = workers.get(id)!;
      return slots.tryTake('a') ? null : { slots, waiter: slots.enqueue('a')! };
    });
    let done = 0;
    while (done < calls.length) {
      await tick();
      const running = calls.filter((c) => c?.waiter.state === 'granted');
      expect(running.length).toBeLessThanOrEqual(2);
      expect(running.length).toBeGreaterThan(0);
      // The oldest running call ends.
      running[0]!.slots.leave(running[0]!.waiter);
      done++;
    }
    expect(calls.every((c) => c?.waiter.state === 'done')).toBe(true);
    for (const slots of workers.values()) slots.close();
  });
});

describe('SlotLedger', () => {
  it('should give the leases of a worker that exited to the workers waiting, in order', () => {
    const sent: string[] = [];
    const ledger = new SlotLedger(1, (w, op, sid) => sent.push(`${op} ${sid} to ${w}`));
    ledger.want(1, 'a');
    ledger.want(2, 'a');
    ledger.want(3, 'a');
    expect(sent).toEqual(['grant a to 1', 'recall a to 1', 'recall a to 1']);
    ledger.dropWorker(1);
    // Worker 3 still waits: the new holder is recalled at once (a grant ends a recall).
    expect(sent.slice(3)).toEqual(['grant a to 2', 'recall a to 2']);
    ledger.give(2, 'a', 1);
    expect(sent.slice(5)).toEqual(['grant a to 3']);
    // A give for more than the worker holds is bounded by what it holds.
    ledger.give(3, 'a', 5);
    expect(ledger.leased('a')).toBe(0);
    expect(ledger.size).toBe(0);
  });
});

describe('SessionSlots of two workers within the share', () => {
  it('should send the primary nothing per call once each worker holds the slots its calls use', async () => {
    let messages = 0;
    const { workers, ledger } = twoWorkers(16, 64, () => messages++);
    const tick = () => new Promise((r) => setImmediate(r));
    // One round: `perWorker` calls in progress at once on each worker, then all end.
    let perWorker = 8;
    const round = async () => {
      const calls = [...workers.values()].flatMap((slots) =>
        Array.from({ length: perWorker }, () => ({
          slots,
          waiter: slots.tryTake('a') ? null : slots.enqueue('a')!,
          ended: false,
        })),
      );
      // Every call holding a slot ends; queued ones get theirs on the next turns.
      for (let turn = 0; turn < 100 && calls.some((c) => !c.ended); turn++) {
        await tick();
        for (const c of calls.filter(
          (x) => !x.ended && (!x.waiter || x.waiter.state === 'granted'),
        )) {
          if (c.waiter) c.slots.leave(c.waiter);
          else c.slots.release('a');
          c.ended = true;
        }
      }
      expect(calls.every((c) => c.ended)).toBe(true);
      await tick();
    };
    await round();
    // 16 together, the share. The first round leased 8 slots to each worker: a want and a grant per slot.
    const warm = messages;
    expect(warm).toBe(2 * 16);
    for (let i = 0; i < 100; i++) await round();
    // 1,600 more calls within the share: not one message between the workers and the primary.
    expect(messages).toBe(warm);
    expect(ledger.leased('a')).toBe(16);
    // Beyond the share (12 at once on each worker, 24 > 16), slots move between the workers on
    // the calls' way: the cost a benchmark of ONE cookie over 32 connections would measure.
    perWorker = 12;
    const before = messages;
    for (let i = 0; i < 10; i++) await round();
    expect(messages - before).toBeGreaterThan(10 * 8);
    expect(ledger.leased('a')).toBeLessThanOrEqual(16);
    for (const slots of workers.values()) slots.close();
  });
});
