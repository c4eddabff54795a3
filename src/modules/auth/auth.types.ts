/** The pending OneAccess steps and the two settled states (bff-api.md section 3). */
export type SessionStatus = 'ANONYMOUS' | 'SUCCESS' | 'MFA_AUTH' | 'PASSWORD_WARN' | 'PASSWORD_EXPIRED' | 'SOCIAL_BIND';

export type LoginMethod = 'password' | 'sms' | 'wechat' | 'alipay' | 'register' | 'oauth';

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
