/** The close code the gateway sends when the socket's session ended (docs/api.md section 5). */
export const SESSION_ENDED_CLOSE_CODE = 4401;

/** What {@link ApiSocket} needs of a WebSocket: the browser's, or a compatible one (`ws`). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string | ArrayBufferLike | ArrayBufferView | Blob): void;
  close(code?: number, reason?: string): void;
}

export interface ApiSocketOptions {
  /** Where the gateway is mounted, as for BffClient: `''`, `'/portal'` or an absolute URL. */
  basePath?: string;
  /** Subprotocols offered; the API's choice is the socket's `protocol`. */
  protocols?: string | string[];
  onOpen?: () => void;
  onMessage?: (data: unknown) => void;
  /** The session ended (close code 4401): signed out. The socket does not reconnect. */
  onSignedOut?: () => void;
  /** Every close, with whether a reconnect follows (and after how long). */
  onClose?: (event: { code: number; reason: string }, reconnectInMs: number | null) => void;
  /** First reconnect delay (default 500 ms), doubled per failed attempt up to `maxDelayMs`. */
  minDelayMs?: number;
  /** Longest reconnect delay (default 30 s). */
  maxDelayMs?: number;
  /** Builds the socket (default: the global WebSocket); tests outside a browser pass `ws`. */
  create?: (url: string, protocols?: string | string[]) => WebSocketLike;
}

const OPEN = 1;
const NORMAL = 1000;

/** `ws:`/`wss:` URL of `path` under `basePath`, on the page's origin when basePath is relative. */
function socketUrl(basePath: string, path: string): string {
  const base = basePath.replace(/\/+$/, '');
  const absolute = /^https?:\/\//i.test(base)
    ? base
    : `${globalThis.location.protocol}//${globalThis.location.host}${base}`;
  return absolute.replace(/^http/i, 'ws') + path;
}

/**
 * A WebSocket to `/api/<route>/...` through the gateway (docs/api.md section 5) that reconnects
 * when the network drops or the gateway restarts (code 1001), with exponential backoff, but not
 * when the session ended (4401: `onSignedOut`, sign in again first), nor after a normal close
 * (1000) or {@link close}. The cookie travels by itself, as with every gateway call.
 */
export class ApiSocket {
  private socket: WebSocketLike | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  private stopped = false;
  private readonly url: string;
  private readonly create: (url: string, protocols?: string | string[]) => WebSocketLike;

  constructor(
    path: string,
    private readonly options: ApiSocketOptions = {},
  ) {
    if (!path.startsWith('/api/')) throw new Error('ApiSocket: the path must start with /api/');
    this.url = socketUrl(options.basePath ?? '', path);
    this.create =
      options.create ??
      ((url, protocols) => new WebSocket(url, protocols) as unknown as WebSocketLike);
    this.connect();
  }

  /** Whether the socket is open now (between reconnects it is not). */
  get open(): boolean {
    return this.socket?.readyState === OPEN;
  }

  /** Sends when open; returns false (and sends nothing) otherwise. */
  send(data: string | ArrayBufferLike | ArrayBufferView | Blob): boolean {
    if (!this.open) return false;
    this.socket!.send(data);
    return true;
  }

  /** Closes for good: no reconnect. */
  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close(NORMAL);
  }

  private connect(): void {
    const socket = this.create(this.url, this.options.protocols);
    this.socket = socket;
    socket.onopen = () => {
      this.attempts = 0;
      this.options.onOpen?.();
    };
    socket.onmessage = (ev) => this.options.onMessage?.(ev.data);
    // A refused upgrade or a lost network ends in onclose (1006) too.
    socket.onerror = () => undefined;
    socket.onclose = (ev) => {
      const signedOut = ev.code === SESSION_ENDED_CLOSE_CODE;
      const again = !this.stopped && !signedOut && ev.code !== NORMAL;
      const delay = again ? this.delay() : null;
      this.options.onClose?.({ code: ev.code, reason: ev.reason }, delay);
      if (signedOut) this.options.onSignedOut?.();
      if (delay !== null) this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  private delay(): number {
    const min = this.options.minDelayMs ?? 500;
    const max = this.options.maxDelayMs ?? 30_000;
    const exact = Math.min(max, min * 2 ** this.attempts++);
    // Up to a quarter less, so that many tabs cut off together do not come back together.
    return Math.round(exact * (0.75 + Math.random() * 0.25));
  }
}
