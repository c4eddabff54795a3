import { Inject, Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { SessionCipher } from '../../common/crypto/session-cipher';
import { SESSION_CIPHER } from '../../common/session/session-store.provider';
import { SessionRegistry } from '../tokens/session-registry';

export interface AdminSessionView {
  /** The admin session ref for DELETE /admin/sessions/:id; not the cookie value, useless as one. */
  id: string;
  user_id: string;
  login_method: string;
  created_at: string;
  last_seen_at: string;
  ip: string;
  user_agent: string;
}

/** Listing and ending users' sessions for operators (docs/api.md section 7, docs/security.md 30). */
@Injectable()
export class AdminService {
  constructor(
    private readonly registry: SessionRegistry,
    @Inject(SESSION_CIPHER) private readonly cipher: SessionCipher,
  ) {}

  async list(userId: string): Promise<{ sessions: AdminSessionView[] }> {
    const live = await this.registry.live(userId);
    return {
      sessions: live.map(({ sid, credential: c }) => ({
        id: this.adminRefOf(sid),
        user_id: c.user.id,
        login_method: c.login_method,
        created_at: new Date(c.created_at).toISOString(),
        last_seen_at: new Date(c.last_seen_at).toISOString(),
        ip: c.ip,
        user_agent: c.user_agent,
      })),
    };
  }

  /** @throws AppError NOT_FOUND for an unknown, malformed or already ended admin session ref */
  async end(ref: string): Promise<void> {
    const sid = this.sidOfAdminRef(ref);
    if (sid === null || !(await this.registry.end(sid, 'revoked'))) throw new AppError('NOT_FOUND');
  }

  async endAll(userId: string): Promise<void> {
    await this.registry.endAll(userId, 'revoked');
  }

  /**
   * The *admin session ref*: the session id encrypted, so an operator can end exactly that session
   * without ever seeing the id (unlike the user's session ref, it decrypts back to it).
   */
  private adminRefOf(sid: string): string {
    return this.cipher.encrypt(`session:${sid}`);
  }

  private sidOfAdminRef(ref: string): string | null {
    try {
      const plain = this.cipher.decrypt(ref);
      return plain.startsWith('session:') ? plain.slice('session:'.length) : null;
    } catch {
      return null;
    }
  }
}
