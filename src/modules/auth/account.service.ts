import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError } from '../../common/errors/app-error';
import { oneAccessConfig } from '../../config/oneaccess.config';
import { OAuthClient } from '../oneaccess/oauth.client';
import { Profile, ProfileUpdate, SocialAccount } from '../oneaccess/oneaccess.types';
import { SdkAccountClient } from '../oneaccess/sdk-account.client';
import { SessionRegistry } from '../tokens/session-registry';
import { TokenRefresher } from '../tokens/token-refresher';
import { ProfileView, SocialAccountView } from './auth.types';
import { SessionHandle } from './session-handle';

function profileView(p: Profile): ProfileView {
  return {
    user_name: p.user_name ?? '',
    name: p.name ?? '',
    email: p.email ?? '',
    mobile: p.mobile ?? '',
    head_img: p.head_img ?? '',
    attr_gender: p.attr_gender ?? '',
    attr_birthday: p.attr_birthday ?? '',
    attr_nick_name: p.attr_nick_name ?? '',
    first_name: p.first_name ?? '',
    middle_name: p.middle_name ?? '',
    last_name: p.last_name ?? '',
    extension: p.extension ?? null,
  };
}

/**
 * OneAccess gives `createdAt` in an undocumented format: epoch ms, ISO 8601, or the
 * `yyyy-MM-dd HH:mm:ss[.SSS]` style of its other timestamps (taken as UTC+8, OneAccess's home zone).
 */
export function isoTime(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number' || /^\d{10,13}$/.test(value)) {
    const n = Number(value);
    return new Date(n < 1e12 ? n * 1000 : n).toISOString();
  }
  const local = value.match(/^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)$/);
  const date = new Date(local ? `${local[1]}T${local[2]}+08:00` : value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function socialView(a: SocialAccount): SocialAccountView {
  return {
    id: a.id,
    type: a.socialType ?? '',
    nickname: a.socialNickname ?? '',
    head_image: a.socialHeadImage ?? '',
    bound_at: isoTime(a.createdAt),
  };
}

/**
 * What a signed-in user does with their own OneAccess account (profile, social bindings) and
 * logout. These calls carry the session_token inside an X-signature; it is refreshed first when
 * it is about to expire.
 */
@Injectable()
export class AccountService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly sdk: SdkAccountClient,
    private readonly oauth: OAuthClient,
    private readonly registry: SessionRegistry,
    private readonly refresher: TokenRefresher,
    private readonly audit: AuditLog,
    @Inject(oneAccessConfig.KEY) private readonly cfg: ConfigType<typeof oneAccessConfig>,
  ) {}

  /** @throws UpstreamError; AppError SESSION_EXPIRED when the refresh is refused */
  async profile(session: SessionHandle): Promise<ProfileView> {
    return profileView(
      await this.sdk.getProfile(session.device(), await this.sessionToken(session)),
    );
  }

  /** Updates the given fields, then answers the profile as OneAccess now holds it. */
  async updateProfile(session: SessionHandle, fields: ProfileUpdate): Promise<ProfileView> {
    const device = session.device();
    const token = await this.sessionToken(session);
    await this.sdk.updateProfile(device, token, fields);
    return profileView(await this.sdk.getProfile(device, token));
  }

  async socialAccounts(session: SessionHandle): Promise<{ accounts: SocialAccountView[] }> {
    const accounts = await this.sdk.listSocialAccounts(
      session.device(),
      await this.sessionToken(session),
    );
    return { accounts: accounts.map(socialView) };
  }

  async unbind(session: SessionHandle, id: string): Promise<void> {
    await this.sdk.unbindSocialAccount(session.device(), await this.sessionToken(session), id);
  }

  /**
   * Ends the OneAccess session (best effort: logout must work while OneAccess is down) and deletes
   * ours, expiring the cookie. Idempotent.
   * @throws AppError SESSION_STORE_UNAVAILABLE: the session could not be deleted, so it is not claimed.
   */
  async logout(session: SessionHandle): Promise<{ logged_out: true; logout_url?: string }> {
    const token = session.credential?.credential.tokens.session_token;
    if (token) {
      try {
        await this.sdk.logout(session.device(), token);
      } catch (err) {
        this.logger.warn({ event: 'upstream_logout_failed', code: (err as AppError).code });
      }
    }
    const signedIn = session.credential !== null;
    const userId = session.credential?.credential.user.id;
    const ended = session.id;
    if (session.data.signed_in) await this.registry.forget(ended, session.credential?.credential, 'logout');
    await session.destroy();
    if (signedIn)
      this.audit.record('logout', {}, ended, { user: userId, client: session.facts().ip });
    const answer: { logged_out: true; logout_url?: string } = { logged_out: true };
    const target = this.cfg.logoutRedirectUrl;
    if (target) {
      // LOGOUT_STYLE: OneAccess documents both pages; CAS-integrated portals end SSO with the CAS one.
      answer.logout_url =
        this.cfg.logoutStyle === 'cas'
          ? this.oauth.casLogoutUrl(target)
          : this.oauth.globalLogoutUrl(target);
    }
    return answer;
  }

  private async sessionToken(session: SessionHandle): Promise<string> {
    // RequiresLogin guarantees a credential; an OAuth-only login has no SDK session_token.
    if (!session.credential?.credential.tokens.session_token) {
      throw new AppError('UNAUTHENTICATED', 'NO_ACCOUNT_CREDENTIAL');
    }
    const fresh = await this.refresher.ensureFresh(
      session.id,
      session.credential,
      'session_token',
      session.facts(),
    );
    session.credential = fresh;
    return fresh.credential.tokens.session_token!;
  }
}
