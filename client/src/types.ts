// The gateway's public contract (docs/api.md) as TypeScript: what the /auth endpoints take and
// answer. Field names are the contract's own (snake_case).

export type PendingStatus = 'MFA_AUTH' | 'PASSWORD_WARN' | 'PASSWORD_EXPIRED' | 'SOCIAL_BIND';
export type SessionStatus = 'ANONYMOUS' | 'SUCCESS' | PendingStatus;
export type LoginMethod = 'password' | 'sms' | 'wechat' | 'alipay' | 'register' | 'oauth';
export type SocialProvider = 'wechat' | 'alipay';

/** The signed-in user, masked (section 3). */
export interface SessionUser {
  /** The OneAccess user id. */
  id: string;
  user_name: string;
  name: string;
  /** First 3 and last 4 digits, e.g. `123****8901`. */
  mobile: string;
  /** First character of the local part, e.g. `z***@example.com`. */
  email: string;
}

/** What the pending step needs (section 3 `pending`). */
export interface Pending {
  /** MFA_AUTH: the masked number the code goes to. */
  mobile?: string;
  /** PASSWORD_WARN (true) and PASSWORD_EXPIRED (false). */
  can_skip?: boolean;
  /**
   * PASSWORD_WARN: OneAccess's policy object as given (its keys are OneAccess's), or null when
   * OneAccess sent none.
   */
  password_policy?: Record<string, unknown> | null;
  /** SOCIAL_BIND. */
  provider?: SocialProvider;
}

/** GET /auth/session and every login-type endpoint (section 3). */
export interface SessionView {
  /** True only for status SUCCESS. */
  authenticated: boolean;
  status: SessionStatus;
  user: SessionUser | null;
  login_method: LoginMethod | null;
  pending: Pending | null;
  /** ISO 8601; null unless authenticated. */
  expires_at: string | null;
  idle_expires_at: string | null;
}

export interface Captcha {
  token: string;
  original_image_base64: string;
  jigsaw_image_base64: string;
  secret_key: string | null;
}

/** A solved slider: the captcha's `token` and OneAccess's answer, e.g. `{"x":120,"y":5}`. */
export interface CaptchaAnswer {
  token: string;
  point_json: string;
}

/**
 * POST /auth/captcha/verify (section 4): the captcha is kept for what it was solved for, once.
 * Either for an SMS to `mobile` (which may be omitted during an MFA step: the step's number is
 * used), or, after the gateway answered CAPTCHA_REQUIRED to a password login, for the next
 * attempt of `user_name`. Never both (400 VALIDATION_FAILED).
 */
export type VerifyCaptchaRequest = CaptchaAnswer &
  ({ mobile?: string; user_name?: never } | { user_name: string; mobile?: never });

export type SmsPurpose = 'login' | 'register' | 'reset_password' | 'bind' | 'mfa';

export interface SendSmsRequest {
  /** May be omitted for purpose `mfa`. */
  mobile?: string;
  purpose: SmsPurpose;
}

export interface SmsSent {
  sent: true;
  retry_after_s: number;
}

export interface MobileCodeRequest {
  mobile: string;
  verify_code: string;
}

export interface UpdatePasswordRequest {
  old_password: string;
  new_password: string;
}

export interface ResetPasswordRequest {
  mobile: string;
  verify_code: string;
  password: string;
}

export interface RegisterRequest {
  mobile: string;
  verify_code: string;
  user_name?: string;
  password?: string;
  name?: string;
  email?: string;
}

/** The user's own profile, unmasked (GET /auth/profile). */
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

/** What PATCH /auth/profile accepts (not the password, mobile or e-mail). */
export interface ProfileUpdate extends Partial<
  Pick<Profile, 'name' | 'head_img' | 'attr_nick_name' | 'first_name' | 'middle_name' | 'last_name'>
> {
  /** `unknow` is OneAccess's own spelling. */
  attr_gender?: 'female' | 'male' | 'unknow';
  /** `yyyy-MM-dd`. */
  attr_birthday?: string;
  /** OneAccess's extension attributes: an object. */
  extension?: Record<string, unknown>;
}

export interface SocialAccount {
  id: string;
  /** OneAccess's socialType as given, e.g. `weixin`, `alipay`. */
  type: string;
  nickname: string;
  head_image: string;
  bound_at: string | null;
}

export interface LogoutResult {
  logged_out: true;
  /** OneAccess's global logout URL, when the gateway is configured for it: navigate there. */
  logout_url?: string;
}

/** One of the caller's signed-in sessions (GET /auth/sessions). */
export interface OwnSession {
  /** The session ref: opaque, for endSession(); not the cookie value. */
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

/** Section 6: every error the gateway answers. */
export interface ErrorBody {
  code: string;
  /** In Chinese when the browser's Accept-Language prefers Chinese, else English (section 6). */
  message: string;
  request_id: string;
  errors?: FieldError[];
  upstream_code?: string;
}

export interface FieldError {
  field: string;
  message: string;
}
