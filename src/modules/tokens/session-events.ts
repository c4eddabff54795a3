import { Injectable, Logger } from '@nestjs/common';

/**
 * Why a signed-in session ended. `logout`: its own request signed out. `replaced`: a new login in
 * the same browser took its place (the id is regenerated). `ended_by_user`: the user ended it from
 * another of their sessions ("Your sessions"). `password_changed`: a password change ended the
 * user's other sessions. `revoked`: the admin API. `evicted`: the per-user session limit.
 * `idle_timeout` / `absolute_timeout`: a request found it past one of its timeouts.
 * `refresh_refused`: OneAccess refused to refresh its tokens.
 */
export type SessionEndReason =
  | 'logout'
  | 'replaced'
  | 'ended_by_user'
  | 'password_changed'
  | 'revoked'
  | 'evicted'
  | 'idle_timeout'
  | 'absolute_timeout'
  | 'refresh_refused';

/**
 * One ended session. Plain data only, so that it survives JSON: a cross-instance publisher can
 * send it as it is and the receiving instance emits it again with `origin: 'remote'`
 * (docs/architecture.md, "Session-ended events").
 */
export interface SessionEnded {
  /** The session id as the cookie carries it: what a listener keys its per-session state by. */
  sid: string;
  reason: SessionEndReason;
  /** The user it belonged to, when the ending code knew it. */
  userId?: string;
  /** Epoch ms. */
  at: number;
  /** Ended by this process, or reported by another instance (never published again). */
  origin: 'local' | 'remote';
}

export type SessionEndedListener = (event: SessionEnded) => void;

/**
 * The in-process signal that a session ended, whichever way it ended: emitted once per ending by
 * `CredentialService.end` (only the call that actually deleted the record emits), after the
 * record is gone. Listeners (a WebSocket relay closing the session's sockets, later a Redis
 * publisher) run synchronously and must not throw; one that does is logged and the others still
 * run, because ending a session must never fail on a listener.
 */
@Injectable()
export class SessionEvents {
  private readonly logger = new Logger('SessionEvents');
  private readonly listeners = new Set<SessionEndedListener>();

  /** Subscribes; returns the function that unsubscribes. */
  onEnded(listener: SessionEndedListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Tells every listener. `origin: 'remote'` is for a cross-instance subscriber's re-emission. */
  emitEnded(event: SessionEnded): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error({ err, event: 'session_ended_listener_failed', reason: event.reason });
      }
    }
  }
}
