import cluster from 'node:cluster';
import { AppError } from '../../common/errors/app-error';
import { Metrics } from '../metrics/metrics';
import { SessionSlots, SlotLimits, Waiter } from './session-slots';
import { primaryBank } from './slot-ledger';

/** What a relayed call holds of its session's share: a slot taken at once, or a place in the queue. */
export interface Admission {
  /** The session whose slot this call took at once. */
  slot?: string;
  /** This call's place in its session's queue, and then the slot it was given from there. */
  waiter?: Waiter;
}

/**
 * Admits relayed calls by their session's share (RELAY_MAX_CONCURRENT_PER_SESSION), queueing
 * those beyond it (RELAY_QUEUE_PER_SESSION, RELAY_QUEUE_WAIT_MS) and counting how queued calls
 * ended. A call within the share costs one Map lookup; only queued calls allocate.
 */
export class RelayAdmission {
  private readonly slots: SessionSlots;

  constructor(
    limits: SlotLimits,
    private readonly metrics: Metrics,
  ) {
    // In a cluster the share is the instance's: the primary leases it to the workers.
    this.slots = new SessionSlots(limits, cluster.isWorker ? primaryBank(() => this.slots) : null);
  }

  /**
   * Takes a slot of `sid`'s share for `call` if one is free, synchronously (the common case awaits
   * nothing). What is taken is given back by {@link release} when the response closes.
   */
  tryAdmit(sid: string, call: Admission): boolean {
    if (!this.slots.tryTake(sid)) return false;
    call.slot = sid;
    return true;
  }

  /**
   * Waits in the session's queue for a slot, after {@link tryAdmit} found none free.
   * @returns false when the browser left while waiting (nothing more to do).
   * @throws AppError RATE_LIMITED when the queue is full or the wait ran out.
   */
  async queue(sid: string, call: Admission): Promise<boolean> {
    const waiter = this.slots.enqueue(sid);
    if (waiter === null) {
      this.metrics.relayQueued.get('full').inc();
      throw busy();
    }
    call.waiter = waiter;
    const outcome = await waiter.settled;
    if (outcome === 'timeout') {
      this.metrics.relayQueued.get('timeout').inc();
      throw busy();
    }
    // Granted, but the browser left in between: release() already gave the slot back.
    if (outcome !== 'granted' || waiter.state !== 'granted') return false;
    this.metrics.relayQueued.get('served').inc();
    this.metrics.relayQueueWait.observe((performance.now() - waiter.queuedAt) / 1000);
    return true;
  }

  /** Gives back what `call` holds; a call still queued leaves the queue (its browser left). */
  release(call: Admission): void {
    const { waiter } = call;
    if (waiter !== undefined) {
      if (waiter.state === 'waiting') this.metrics.relayQueued.get('left').inc();
      this.slots.leave(waiter);
    } else if (call.slot !== undefined) this.slots.release(call.slot);
  }

  close(): void {
    this.slots.close();
  }
}

function busy(): AppError {
  return new AppError('RATE_LIMITED', 'RELAY_BUSY', {
    retryAfterS: 1,
  });
}
