/** Which step a correct password leads to (section 4 of docs/oneaccess.md). */
export type PasswordState = 'ok' | 'warn' | 'expired';

/** Social providers with an SDK login endpoint: WeChat (`weixin`) and Alipay (`alipay`). */
export type SocialProvider = 'weixin' | 'alipay';

/** Profile attributes of `GET /api/v2/sdk/profile` other than the identity fields. */
export interface SeedProfile {
  head_img?: string;
  attr_gender?: 'female' | 'male' | 'unknow';
  attr_birthday?: string;
  attr_nick_name?: string;
  first_name?: string;
  middle_name?: string;
  last_name?: string;
  extension?: Record<string, unknown>;
}

export interface SeedUser {
  /** OneAccess id format `yyyyMMddHHmmssSSS-XXXX-XXXXXXXXX`. */
  id: string;
  user_name: string;
  name: string;
  /** 11 digits, unique. */
  mobile: string;
  email: string;
  password: string;
  org_id?: string;
  /** `warn` → PASSWORD_WARN, `expired` → PASSWORD_EXPIRED after a correct password. */
  password_state?: PasswordState;
  /** MFA_AUTH after a correct password. */
  mfa?: boolean;
  /** ACCESS_DENIED after any successful first factor. */
  access_denied?: boolean;
  profile?: SeedProfile;
}

/** A provider authorization code the simulator understands, and the identity behind it. */
export interface SeedSocialCode {
  provider: SocialProvider;
  code: string;
  social_uid: string;
  nickname?: string;
  head_image?: string;
  /** user_name of the user this identity is bound to; absent = unbound (SOCIAL_BIND). */
  bound_to?: string;
}

export interface SeedData {
  users: SeedUser[];
  social?: SeedSocialCode[];
  /**
   * Any provider code starting with this prefix is a fresh unbound identity whose social_uid is
   * derived from the code (the same code always means the same identity). Default `new-`.
   */
  unbound_code_prefix?: string;
}
