/** The pending OneAccess steps (docs/api.md section 3). */
export type PendingStatus = 'MFA_AUTH' | 'PASSWORD_WARN' | 'PASSWORD_EXPIRED' | 'SOCIAL_BIND';

export type LoginMethod = 'password' | 'sms' | 'wechat' | 'alipay' | 'register' | 'oauth';

/** The OneAccess user, as the SSO ticket verification returned it (unmasked; masked only in views). */
export interface SessionUser {
  id: string;
  user_name: string;
  name: string;
  mobile: string;
  email: string;
}

/** A login step OneAccess asked for, with the state_token that continues it. */
export interface PendingStep {
  status: PendingStatus;
  state_token: string;
  login_method: LoginMethod;
  /** Epoch ms; the step is void afterwards (PENDING_STEP_TTL_S). */
  expires_at: number;
  /** MFA: the full number from mobile-by-token, for sending the code. */
  mobile?: string;
  /** SOCIAL_BIND: which provider started it. */
  provider?: 'wechat' | 'alipay';
  /** PASSWORD_WARN: OneAccess's policy object, as given. */
  password_policy?: Record<string, unknown>;
}

/** Every OneAccess credential of a signed-in session. Never leaves the server. */
export interface SessionTokens {
  session_token?: string;
  /** Epoch ms, from OneAccess's `expire`. */
  session_token_expires_at?: number;
  /** Epoch ms when we received it; with the expiry, its lifetime. */
  session_token_issued_at?: number;
  id_token?: string;
  id_token_expires_at?: number;
  id_token_issued_at?: number;
  access_token?: string;
  access_token_expires_at?: number;
  access_token_issued_at?: number;
  refresh_token?: string;
}

/** A captcha_token kept server-side, bound to the mobile number it was verified for. */
export interface VerifiedCaptcha {
  mobile: string;
  captcha_token: string;
  expires_at: number;
}

/** Set on `res.locals` by SessionMiddleware so the cookie can be expired exactly as it was set. */
export interface SessionCookie {
  name: string;
  options: { path: string; httpOnly: boolean; secure: boolean; sameSite: 'strict' };
}
