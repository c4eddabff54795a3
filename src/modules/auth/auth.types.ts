import type { LoginMethod, PendingStatus } from '../../common/session/session.types';

/** ANONYMOUS, SUCCESS, or a pending OneAccess step (docs/api.md section 3). */
export type SessionStatus = 'ANONYMOUS' | 'SUCCESS' | PendingStatus;

export interface SessionUserView {
  id: string;
  user_name: string;
  name: string;
  mobile: string;
  email: string;
}

/** What GET /auth/session and every login-type endpoint answer. */
export interface SessionView {
  authenticated: boolean;
  status: SessionStatus;
  user: SessionUserView | null;
  login_method: LoginMethod | null;
  pending: Record<string, unknown> | null;
  expires_at: string | null;
  idle_expires_at: string | null;
}

export interface ProfileView {
  user_name: string;
  name: string;
  email: string;
  mobile: string;
  head_img: string;
  attr_gender: string;
  attr_birthday: string;
  attr_nick_name: string;
  first_name: string;
  middle_name: string;
  last_name: string;
  extension: unknown;
}

export interface SocialAccountView {
  id: string;
  type: string;
  nickname: string;
  head_image: string;
  bound_at: string | null;
}

/** One of the caller's signed-in sessions (GET /auth/sessions). */
export interface OwnSessionView {
  /** The session ref: stable and opaque, for DELETE /auth/sessions/:id; not the cookie value. */
  id: string;
  /** True for the session making the request. */
  current: boolean;
  login_method: LoginMethod;
  created_at: string;
  last_seen_at: string;
  ip: string;
  /** A short text from the User-Agent, e.g. `Chrome on Windows 10`. */
  device: string;
}
