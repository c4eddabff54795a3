import WebSocket from 'ws';
import type { TrackedSocket } from './session-sockets';

/** Bytes queued toward one side beyond which reading from the other side pauses. */
const HIGH_WATER = 1024 * 1024;
/** Close codes a peer may receive but nobody may send (RFC 6455 section 7.4.1). */
const RESERVED = new Set([1004, 1005, 1006, 1015]);

/** How a relayed socket ended, for its close line and metrics. */
export interface PairClosed {
  /** The code the browser was sent (or sent), 1006 when the connection just dropped. */
  code: number;
  /** Who ended it: the browser, the upstream, or the gateway (its session ended, or shutdown). */
  by: 'browser' | 'upstream' | 'session_ended' | 'shutdown';
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
}

/** Counters bound to the route, incremented per message (by 1) and per byte (by the size). */
export interface PairMeter {
  messagesIn: { inc(n?: number): void };
  bytesIn: { inc(n?: number): void };
  messagesOut: { inc(n?: number): void };
  bytesOut: { inc(n?: number): void };
}

export interface SocketPair extends TrackedSocket {
  readonly closed: Promise<PairClosed>;
}

function closeWith(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
  if (ws.readyState === WebSocket.CONNECTING) return ws.terminate();
  // Reasons are bounded to 123 bytes by the protocol; an upstream's longer one is dropped.
  const sendable = code >= 1000 && code <= 4999 && !RESERVED.has(code);
  ws.close(sendable ? code : 1000, Buffer.byteLength(reason) <= 123 ? reason : '');
}

/**
 * Joins a browser socket and its upstream socket: every message passes unchanged (text stays text,
 * binary stays binary; fragments arrive whole, as one message), a close on either side closes the
 * other with the same code, and a slow reader pauses the other side instead of filling memory.
 */
export function pairSockets(browser: WebSocket, upstream: WebSocket, meter: PairMeter): SocketPair {
  let by: PairClosed['by'] | undefined;
  const counts = { messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0 };
  const forward = (from: WebSocket, to: WebSocket, inbound: boolean) => {
    from.on('message', (data: Buffer, isBinary: boolean) => {
      const size = data.length;
      if (inbound) {
        counts.messagesIn++;
        counts.bytesIn += size;
        meter.messagesIn.inc();
        meter.bytesIn.inc(size);
      } else {
        counts.messagesOut++;
        counts.bytesOut += size;
        meter.messagesOut.inc();
        meter.bytesOut.inc(size);
      }
      if (to.readyState !== WebSocket.OPEN) return;
      to.send(data, { binary: isBinary }, () => {
        if (from.isPaused && to.bufferedAmount < HIGH_WATER / 2) from.resume();
      });
      if (to.bufferedAmount >= HIGH_WATER) from.pause();
    });
  };
  forward(browser, upstream, true);
  forward(upstream, browser, false);
  const closed = new Promise<PairClosed>((resolve) => {
    browser.once('close', (code: number) => {
      by ??= 'browser';
      closeWith(upstream, code, '');
      resolve({ code, by, ...counts });
    });
  });
  upstream.on('close', (code: number, reason: Buffer) => {
    by ??= 'upstream';
    closeWith(browser, code === 1005 || code === 1006 ? 1011 : code, reason.toString());
  });
  // Errors end in 'close' too; unheard they would take the process down.
  browser.on('error', () => browser.terminate());
  upstream.on('error', () => upstream.terminate());
  return {
    closed,
    close(code: number, reason: string) {
      by ??= code === 4401 ? 'session_ended' : 'shutdown';
      closeWith(browser, code, reason);
      closeWith(upstream, code, reason);
    },
  };
}
