/**
 * Every `{error_code, error_msg}` the simulator answers, in English and Chinese (chosen by `X-L`).
 *
 * `source` says how sure we are, as in docs/oneaccess.md:
 * - `HW`: code and text from Huawei's error table (§9.2);
 * - `HW-text`: Huawei's text, but the code number was not legible (number guessed);
 * - `HW-frag`: code and text seen only in a search snippet of Huawei's error page;
 * - `BC`: Bamboo Cloud's code (OneAccess shares its design);
 * - `guess`: the docs are silent; numbering follows §9.3 (Bamboo's CIAM codes without prefix).
 * The README lists this table; keep the two in step.
 */
export const MESSAGES = {
  DEVICE_INCOMPLETE: {
    code: 'PARAM.0001',
    source: 'guess',
    en: 'Device information is incomplete.',
    zh: '设备信息不完整',
  },
  DEVICE_MISMATCH: {
    code: 'PARAM.0001',
    source: 'guess',
    en: 'Device information does not match the login.',
    zh: '设备信息与登录时不一致',
  },
  CLIENT_ID_REQUIRED: {
    code: 'PARAM.0002',
    source: 'HW-text',
    en: 'clientId required.',
    zh: 'clientId不能为空',
  },
  COORDINATES_REQUIRED: {
    code: 'PARAM.0004',
    source: 'HW',
    en: 'Coordinates required.',
    zh: '坐标信息不能为空',
  },
  CAPTCHA_ID_TOKEN_REQUIRED: {
    code: 'PARAM.0005',
    source: 'HW',
    en: 'Token required.',
    zh: '图形验证码身份令牌不能为空',
  },
  PARAM_REQUIRED: {
    code: 'PARAM.0006',
    source: 'guess',
    en: 'Parameter {0} required.',
    zh: '参数{0}不能为空',
  },
  PARAM_INVALID: {
    code: 'PARAM.0007',
    source: 'guess',
    en: 'Parameter {0} is invalid.',
    zh: '参数{0}不合法',
  },
  STATE_TOKEN_INVALID: {
    code: 'PARAM.0014',
    source: 'guess',
    en: 'Invalid state token',
    zh: '无效的state token',
  },
  TOKEN_INVALID: {
    code: 'PARAM.0016',
    source: 'guess',
    en: '{0} is invalid or expired.',
    zh: '{0}无效或已过期',
  },
  PASSWORD_POLICY: {
    code: 'PARAM.0027',
    source: 'guess',
    en: 'The password does not comply with the password policy.',
    zh: '密码不符合密码策略',
  },
  OLD_PASSWORD_INCORRECT: {
    code: 'PARAM.0028',
    source: 'HW-text',
    en: 'Original password is incorrect.',
    zh: '原密码校验失败',
  },
  SIGNATURE_INVALID: {
    code: 'PARAM.0030',
    source: 'HW',
    en: 'Signature invalid or expired.',
    zh: '签名无效或已过期',
  },
  APP_NOT_FOUND: {
    code: 'APP.0001',
    source: 'HW',
    en: 'Application does not exist.',
    zh: '应用不存在',
  },
  LOGIN_LOCKED: {
    code: 'LOGIN.0001',
    source: 'HW-text',
    en: 'The user has been locked due to multiple failed logins. It will be unlocked in {0} minutes and {1} seconds.',
    zh: '由于多次登录失败，用户已被锁定。它将在 {0} 分钟和 {1} 秒内解锁',
  },
  LOGIN_INVALID: {
    code: 'LOGIN.0002',
    source: 'HW',
    en: 'Invalid account name or password. Remaining attempts: {0}.',
    zh: '无效的账号或密码。剩余尝试次数：{0}。',
  },
  CAPTCHA_EXPIRED: {
    code: 'CAPTCHA.0001',
    source: 'guess',
    en: 'CAPTCHA expired. Obtain a new one.',
    zh: '图形验证码已失效，请重新获取',
  },
  CAPTCHA_WRONG: {
    code: 'CAPTCHA.0002',
    source: 'HW-frag',
    en: 'Invalid CAPTCHA code.',
    zh: '图形验证码校验失败',
  },
  CAPTCHA_TOKEN_EXPIRED: {
    code: 'CAPTCHA.0003',
    source: 'HW-frag',
    en: 'CAPTCHA token expired.',
    zh: '图形验证码校验通过令牌已失效',
  },
  CAPTCHA_TOKEN_INVALID: {
    code: 'CAPTCHA.0004',
    source: 'HW-frag',
    en: 'Invalid CAPTCHA token.',
    zh: '图形验证码校验通过令牌校验失败',
  },
  SMS_TOO_FREQUENT: {
    code: 'CAPTCHA.0006',
    source: 'guess',
    en: 'Failed to send verification code. Try again in {0} seconds.',
    zh: '验证码发送失败，请{0}秒后重试',
  },
  SMS_CODE_INVALID: {
    code: 'CAPTCHA.0007',
    source: 'guess',
    en: 'Incorrect verification code.',
    zh: '验证码错误',
  },
  USER_NOT_FOUND: {
    code: 'USER.0001',
    source: 'guess',
    en: 'User does not exist.',
    zh: '用户不存在',
  },
  MOBILE_TAKEN: {
    code: 'USER.0002',
    source: 'guess',
    en: 'Mobile number already exists.',
    zh: '手机号已存在',
  },
  USER_NAME_TAKEN: {
    code: 'USER.0003',
    source: 'guess',
    en: 'Username already exists.',
    zh: '用户名已存在',
  },
  CLIENT_CREDENTIALS_INVALID: {
    code: 'TOKEN.0001',
    source: 'guess',
    en: 'Bad client credentials.',
    zh: '应用凭据错误',
  },
  SYSTEM_BUSY: { code: 'SDK.COMMON.1008', source: 'BC', en: 'System busy.', zh: '系统繁忙' },
} as const;

export type MessageKey = keyof typeof MESSAGES;

/** Fills `{0}`, `{1}`… of the message in the caller's language (`X-L: zh…` → Chinese). */
export function formatMessage(
  key: MessageKey,
  params: readonly (string | number)[],
  lang: 'en' | 'zh',
): string {
  return MESSAGES[key][lang].replace(/\{(\d+)\}/g, (_, index: string) =>
    String(params[Number(index)] ?? ''),
  );
}
