import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { EndReason, SessionRegistry } from '../tokens/session-registry';
import { OwnSessionView } from './auth.types';
import { deviceLabel } from './device-label';
import { SessionHandle } from './session-handle';

/**
 * "Your sessions" (docs/api.md section 4): a signed-in user lists their own sessions and ends them,
 * through the same registry the admin API uses. Only the caller's sessions are ever looked at, so
 * an unknown session ref and another user's get the same 404 (no existence oracle).
 */
@Injectable()
export class OwnSessionsService {
  constructor(private readonly registry: SessionRegistry) {}

  /** The caller's live sessions, newest first. */
  async list(session: SessionHandle): Promise<{ sessions: OwnSessionView[] }> {
    const live = await this.registry.live(this.userId(session));
    return {
      sessions: live.reverse().map(({ sid, credential: c }) => ({
        id: this.registry.sessionRefOf(sid),
        current: sid === session.id,
        login_method: c.login_method,
        created_at: new Date(c.created_at).toISOString(),
        last_seen_at: new Date(c.last_seen_at).toISOString(),
        ip: c.ip,
        device: deviceLabel(c.user_agent),
      })),
    };
  }

  /**
   * Ends one of the caller's sessions (its OneAccess session too, best effort). Naming the
   * current session signs this browser out as well: its cookie is expired.
   * @throws AppError NOT_FOUND when `ref` (a session ref) names none of the caller's live sessions
   */
  async end(session: SessionHandle, ref: string): Promise<void> {
    const live = await this.registry.live(this.userId(session));
    const target = live.find(({ sid }) => this.registry.sessionRefOf(sid) === ref);
    if (!target) throw new AppError('NOT_FOUND');
    const { sid, ...stored } = target;
    await this.registry.end(sid, 'ended_by_user', stored);
    if (sid === session.id) await session.destroy();
  }

  /**
   * Ends every session of the caller's user but the current one.
   * @returns how many were ended
   */
  endOthers(session: SessionHandle, reason: EndReason = 'ended_by_user'): Promise<number> {
    return this.registry.endAll(this.userId(session), reason, session.id);
  }

  /**
   * After a password reset by SMS: every session of the account with that mobile ends, on every
   * instance, except the one that made the reset (which may be signed in as anyone, or no one).
   * @returns how many sessions were ended
   */
  endForReset(session: SessionHandle, mobile: string): Promise<number> {
    return this.registry.endAllOfMobile(mobile, 'password_changed', session.id);
  }

  private userId(session: SessionHandle): string {
    // RequiresLogin (or a just-completed login) guarantees the credential.
    return session.credential!.credential.user.id;
  }
}
