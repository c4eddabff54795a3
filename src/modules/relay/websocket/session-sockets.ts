import { Logger } from '@nestjs/common';
import { CredentialService, EndingRequest } from '../../tokens/credential.service';

/** Close code and reason toward the browser when the socket's session ended (docs/api.md section 5). */
export const SESSION_ENDED_CODE = 4401;
export const SESSION_ENDED_REASON = 'session ended';
/** A record the store could not read is looked at again this much later (a Redis failure is no logout). */
const RETRY_MS = 5000;
/** setTimeout's own bound: a later end is checked at this distance and then again. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** One relayed socket pair as the session bookkeeping sees it. */
export interface TrackedSocket {
  /** Closes both sides: toward the browser with `code` and `reason`. */
  close(code: number, reason: string): void;
}

interface SessionEntry {
  sockets: Set<TrackedSocket>;
  /** Places taken by upgrades still opening their upstream side. */
  opening: number;
  timer?: NodeJS.Timeout;
  /** The session ended while an upgrade was still opening: that socket closes as it opens. */
  ended?: boolean;
  /** Who the session-expired audit line names when the timer ends the session. */
  by: EndingRequest;
}

/**
 * The relayed WebSockets of each session in this process: the per-session limit
 * (RELAY_MAX_WEBSOCKETS_PER_SESSION), closing them all when the session ends, and one timer per
 * session at its idle or absolute end. The timer re-reads the record, because activity elsewhere
 * (the same session's API calls, on any instance) moves the idle end; socket traffic does not.
 */
export class SessionSockets {
  private readonly logger = new Logger('WebSocketRelay');
  private readonly sessions = new Map<string, SessionEntry>();

  constructor(
    private readonly credentials: CredentialService,
    private readonly limit: number,
  ) {}

  /** Sockets open now, all sessions. */
  get size(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.sockets.size;
    return n;
  }

  /**
   * Takes a place for an upgrade of `sid` that is about to open its upstream side.
   * @returns false when the session holds its limit of sockets already
   */
  reserve(sid: string, by: EndingRequest): boolean {
    let s = this.sessions.get(sid);
    if (!s) this.sessions.set(sid, (s = { sockets: new Set(), opening: 0, by }));
    if (s.sockets.size + s.opening >= this.limit) return false;
    s.opening++;
    return true;
  }

  /** Gives back a place taken by {@link reserve} whose upgrade did not open. */
  unreserve(sid: string): void {
    const s = this.sessions.get(sid);
    if (!s) return;
    s.opening--;
    this.forgetIfEmpty(sid, s);
  }

  /**
   * Turns a reserved place into an open socket, watched until {@link remove}.
   * @param endsAt when the session ends without activity (epoch ms), as its record says now
   */
  add(sid: string, socket: TrackedSocket, endsAt: number): void {
    const s = this.sessions.get(sid);
    if (!s) return socket.close(SESSION_ENDED_CODE, SESSION_ENDED_REASON);
    s.opening--;
    s.sockets.add(socket);
    if (s.ended) return socket.close(SESSION_ENDED_CODE, SESSION_ENDED_REASON);
    if (!s.timer) this.schedule(sid, s, endsAt - Date.now());
  }

  remove(sid: string, socket: TrackedSocket): void {
    const s = this.sessions.get(sid);
    if (!s) return;
    s.sockets.delete(socket);
    this.forgetIfEmpty(sid, s);
  }

  /** Closes every socket of `sid` with 4401: the session ended. */
  endSession(sid: string): void {
    const s = this.sessions.get(sid);
    if (!s) return;
    s.ended = true;
    for (const socket of [...s.sockets]) socket.close(SESSION_ENDED_CODE, SESSION_ENDED_REASON);
  }

  /** Closes every socket with `code` (1001 at shutdown). */
  closeAll(code: number, reason: string): void {
    for (const s of this.sessions.values())
      for (const socket of [...s.sockets]) socket.close(code, reason);
  }

  /** Re-checks every session with open sockets against the store (ends may have been missed). */
  recheckAll(): void {
    for (const sid of this.sessions.keys()) void this.check(sid);
  }

  private schedule(sid: string, s: SessionEntry, inMs: number): void {
    clearTimeout(s.timer);
    s.timer = setTimeout(() => void this.check(sid), Math.min(Math.max(inMs, 0), MAX_TIMER_MS));
    s.timer.unref();
  }

  /**
   * Whether the session still lives: gone, or past a timeout (then ended here, which emits the
   * session-ended event and so closes its sockets), or alive and looked at again at its new end.
   * Never slides the idle timeout.
   */
  private async check(sid: string): Promise<void> {
    const s = this.sessions.get(sid);
    if (!s || s.sockets.size === 0) return;
    try {
      const read = await this.credentials.get(sid);
      const alive = read && (await this.credentials.aliveOrEnd(sid, read, Date.now(), false, s.by));
      if (!alive) return this.endSession(sid);
      const { idle, absolute } = this.credentials.expiry(alive.credential);
      if (this.sessions.get(sid) === s)
        this.schedule(sid, s, Math.min(idle, absolute) - Date.now());
    } catch (err) {
      this.logger.warn({ err, event: 'websocket_session_check_failed' });
      if (this.sessions.get(sid) === s) this.schedule(sid, s, RETRY_MS);
    }
  }

  private forgetIfEmpty(sid: string, s: SessionEntry): void {
    if (s.sockets.size > 0 || s.opening > 0) return;
    clearTimeout(s.timer);
    this.sessions.delete(sid);
  }
}
