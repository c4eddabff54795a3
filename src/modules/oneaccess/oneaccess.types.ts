/*
 * OneAccess request and response types, spelled exactly as OneAccess spells them (docs/oneaccess.md):
 * snake_case for most payloads, camelCase where the docs show camelCase (captcha, country codes,
 * social list, sso-ticket user, OAuth userinfo). The clients validate each answer before returning
 * it, so a value of these types can be trusted as far as its required fields go.
 */

/** Documented `status` values of a login result (section 4.2). */
export type LoginStatus =
  'SUCCESS' | 'PASSWORD_WARN' | 'PASSWORD_EXPIRED' | 'MFA_AUTH' | 'ACCESS_DENIED' | 'SOCIAL_BIND';

/**
 * The password policy carried as a JSON string in `data` on PASSWORD_WARN (section 4.1, Bamboo
 * example): keys are OneAccess's (`maxLength`, `minLength`, `regEx`, ...) and are passed on as given.
 */
export type PasswordPolicy = Record<string, unknown>;

interface LoginResultBase {
  /** "Return description"; a JSON string holding the password policy on PASSWORD_WARN. */
  data?: string;
}

/**
 * The answer of every login-type call (section 4.1), narrowed by `status` so that a caller
 * switching on it gets the token that status guarantees. An undocumented status never reaches a
 * caller: the client rejects it as UPSTREAM_BAD_RESPONSE.
 */
export type LoginResult =
  | (LoginResultBase & {
      status: 'SUCCESS';
      session_token: string;
      id_token?: string;
      /** Lifetime of `session_token` in seconds. */
      expire?: number;
    })
  | (LoginResultBase & {
      status: 'PASSWORD_WARN' | 'PASSWORD_EXPIRED';
      state_token: string;
      /** Not OneAccess's: `data` parsed, when it is a JSON object. */
      password_policy?: PasswordPolicy;
    })
  | (LoginResultBase & { status: 'MFA_AUTH' | 'SOCIAL_BIND'; state_token: string })
  | (LoginResultBase & { status: 'ACCESS_DENIED' });

/** Slider captcha of `GET /api/v2/sdk/captcha` (section 5.3; AJ-Captcha "blockPuzzle" fields). */
export interface SliderCaptcha {
  /** Pass to captcha verification. */
  token: string;
  /** Background image, Base64 PNG. */
  originalImageBase64: string;
  /** Puzzle piece, Base64 PNG. */
  jigsawImageBase64: string;
  /** Documented as "fixed null", yet the example shows a value. */
  secretKey?: string | null;
  captchaId?: string | null;
  projectCode?: string | null;
  captchaOriginalPath?: string | null;
  captchaFontType?: string | null;
  captchaFontSize?: string | null;
  point?: unknown;
  wordList?: unknown;
  pointList?: unknown;
  pointJson?: string | null;
  /** Typed String in the table, Boolean in the example. */
  result?: boolean | string | null;
  captchaVerification?: string | null;
}

/** Input of `POST /api/v2/sdk/captcha/verify`, named for our callers (sent as `point_json`, `token`, `sender`). */
export interface CaptchaAnswer {
  /** `token` of the captcha. */
  token: string;
  /** Slider position as a JSON string, e.g. `{"x":237.0,"y":5.0}`. */
  pointJson: string;
  /** Mobile number (or e-mail) that will receive the code. */
  sender: string;
}

/** `type` of `POST /api/v2/sdk/sms/send` (section 5.6; `OTP_REST_SMS` is spelled so in the docs). */
export type SmsType =
  | 'REGISTER_SMS'
  | 'LOGIN_SMS'
  | 'FORGET_PWD_SMS'
  | 'BIND_MOBILE_SMS'
  | 'UPDATE_MOBILE_SMS'
  | 'OTP_REST_SMS';

/** Input of `POST /api/v2/sdk/sms/send`, named for our callers. */
export interface SmsRequest {
  mobile: string;
  type: SmsType;
  /** From captcha verification. */
  captchaToken: string;
}

/** One entry of `GET /api/v2/sdk/country-codes` (section 5.5); value formats are not documented. */
export interface PhoneAreaCodeDefinition {
  areaCode: string;
  displayMapping?: { 'zh-TW'?: string; en?: string; 'zh-CN'?: string };
  countryCode?: string;
  mobileRegex?: string;
  areaCodeSuffixes?: unknown;
}

export interface CountryCodes {
  phoneAreaCodeDefinitions: PhoneAreaCodeDefinition[];
  preferredAreaCode?: string;
}

/** `female`, `male`, or `unknow` (sic: "secret"), as OneAccess spells them. */
export type Gender = 'female' | 'male' | 'unknow';

/** Body of `POST /api/v2/sdk/register/mobile-verify-code` (section 5.14). */
export interface Registration {
  mobile: string;
  verify_code: string;
  user_name?: string;
  name?: string;
  email?: string;
  pwd?: string;
  head_img?: string;
  attr_gender?: Gender;
  /** `yyyy-MM-dd`. */
  attr_birthday?: string;
  attr_nick_name?: string;
  first_name?: string;
  middle_name?: string;
  last_name?: string;
  extension?: Record<string, string>;
}

/** `GET /api/v2/sdk/profile` (section 5.22). It carries no user id. */
export interface Profile {
  user_name?: string | null;
  name?: string | null;
  head_img?: string | null;
  email?: string | null;
  mobile?: string | null;
  attr_gender?: string | null;
  attr_birthday?: string | null;
  attr_nick_name?: string | null;
  first_name?: string | null;
  middle_name?: string | null;
  last_name?: string | null;
  /** A String on the current page, an Object on an older copy. */
  extension?: string | Record<string, unknown> | null;
}

/**
 * Body of `POST /api/v2/sdk/profile/update` (section 5.23). "Cannot change password, mobile number
 * or e-mail", so those are not offered; the `mobile`/`verify_code` "Y" of the table is a doc error.
 */
export interface ProfileUpdate {
  user_name?: string;
  name?: string;
  head_img?: string;
  attr_gender?: Gender;
  attr_birthday?: string;
  attr_nick_name?: string;
  first_name?: string;
  middle_name?: string;
  last_name?: string;
  extension?: Record<string, unknown>;
}

/** `socialType` values documented in section 5.20. */
export type SocialType = 'weixin' | 'weixinmp' | 'weibo' | 'qq' | 'alipay' | 'wechat_work';

/** One element of `GET /api/v2/sdk/social` → `social` (section 5.20; mixed casing as documented). */
export interface SocialAccount {
  /** Pass to unbinding. */
  id: string;
  userId?: string;
  /** Usually a {@link SocialType}; other sources may appear. */
  socialType?: string;
  social_uid?: string;
  socialNickname?: string | null;
  socialHeadImage?: string | null;
  socialAccountDetails?: unknown;
  /** Format not documented (string or epoch number). */
  createdAt?: string | number | null;
  updatedAt?: string | number | null;
}

/** `POST /api/v2/tenant/sso/session-token/sso-ticket` (section 6.1). */
export interface SsoTicket {
  sso_ticket: string;
  /** Seconds. */
  expire?: number;
}

/**
 * The user of `POST /api/v2/tenant/sso/sso-ticket/verify` (section 6.2), taken from the nested
 * Huawei shape `{code,message,data:{user}}` or the flat Bamboo shape alike.
 */
export interface SsoUser {
  id: string;
  userName?: string;
  name?: string;
  mobile?: string;
  email?: string;
}

/** `POST /api/v2/tenant/sso/session-token/refresh` (section 6.3). */
export interface SessionTokenRefresh {
  session_token: string;
  id_token?: string;
  /** Seconds. */
  expire?: number;
}

/** `POST /api/v2/tenant/token` (section 7.1). */
export interface TenantToken {
  access_token: string;
  token_type?: string;
  /** Seconds (default 1800). */
  expires_in: number;
  scope?: string;
  id_token?: string;
}

/** The user object of `/api/v2/tenant/users/*` (section 7.2). */
export interface TenantUser {
  user_id: string;
  org_id?: string;
  user_name?: string;
  name?: string;
  mobile?: string;
  email?: string;
  pwd_must_modify?: boolean;
  pwd_change_at?: string;
  created_at?: string;
  updated_at?: string;
  disabled?: boolean;
  grade?: number;
  /** A String in the docs. */
  locked?: string | boolean;
  extension?: Record<string, unknown>;
  /** `relation_type`: `"0"` belongs, `"1"` affiliated (one example shows a number). */
  user_org_relation_list?: { org_id: string; relation_type: string | number }[];
}

/** `POST /api/v1/oauth2/token` (section 8.2). */
export interface OAuthTokens {
  access_token: string;
  token_type?: string;
  /** Seconds; documented as Long or String, normalised to a number. */
  expires_in?: number;
  scope?: string;
  /** Only when the application has a refresh-token lifetime configured. */
  refresh_token?: string;
  /** OIDC only. */
  id_token?: string;
}

/** `GET /api/v1/oauth2/userinfo` (section 8.3); the attribute set is configurable per application. */
export interface OAuthUserInfo {
  id: string;
  /** The answer's `sub`, when it has one (OneAccess documents only `id`). */
  sub?: string;
  userName?: string;
  name?: string;
  email?: string;
  mobile?: string;
}

/** Input of the OAuth authorization URL (section 8.1). */
export interface AuthorizeRequest {
  redirectUri: string;
  state: string;
  /** Not documented by OneAccess; sent for OIDC providers that honour it. */
  nonce?: string;
  scope: string;
  /** PKCE (RFC 7636): BASE64URL(SHA-256(code_verifier)), sent with method S256. */
  codeChallenge?: string;
}

/**
 * The parts of the OIDC discovery document (section 8.4, body not documented: standard OIDC
 * Discovery assumed) the id_token check needs.
 */
export interface OidcDiscovery {
  issuer: string;
  jwks_uri: string;
}

/** A JWKS (RFC 7517): `keys` is checked to be a list; each key is left to jose to judge. */
export interface JsonWebKeySet {
  keys: Record<string, unknown>[];
}
