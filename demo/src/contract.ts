// Shapes of the gateway's public contract (shared/spec/bff-api.md) that the demo uses.

export type SessionStatus =
  'ANONYMOUS' | 'SUCCESS' | 'MFA_AUTH' | 'PASSWORD_WARN' | 'PASSWORD_EXPIRED' | 'SOCIAL_BIND';

export interface SessionUser {
  id: string;
  user_name: string;
  name: string;
  mobile: string;
  email: string;
}

/** Section 3: what GET /auth/session and every login-type endpoint answer. */
export interface SessionView {
  authenticated: boolean;
  status: SessionStatus;
  user: SessionUser | null;
  login_method: string | null;
  pending: Pending | null;
  expires_at: string | null;
  idle_expires_at: string | null;
}

export interface Pending {
  mobile?: string;
  can_skip?: boolean;
  password_policy?: Record<string, unknown>;
  provider?: string;
}

export interface Captcha {
  token: string;
  original_image_base64: string;
  jigsaw_image_base64: string;
  secret_key: string | null;
}

export type SmsPurpose = 'login' | 'register' | 'reset_password' | 'bind' | 'mfa';

export interface Profile {
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

export interface SocialAccount {
  id: string;
  type: string;
  nickname: string;
  head_image: string;
  bound_at: string | null;
}

/** Section 6: every error the gateway answers. */
export interface ErrorBody {
  code: string;
  message: string;
  request_id: string;
  errors?: Array<{ field: string; message: string }>;
  upstream_code?: string;
}
