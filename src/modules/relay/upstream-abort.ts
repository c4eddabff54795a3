import { EventEmitter } from 'node:events';

/**
 * The `signal` of a relayed upstream request: undici accepts an EventEmitter that emits 'abort'
 * as well as an AbortSignal. Measured under load, adding a listener to an AbortSignal cost
 * microseconds per call (an AbortController per call was already a measurable share of this path),
 * an EventEmitter a fraction of one. Without a `reason`, undici fails the request with
 * UND_ERR_ABORTED.
 */
export class UpstreamAbort extends EventEmitter {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}
