import type { ErrorCode } from './app-error';

/** The languages the gateway's own messages are written in (`Content-Language` values). */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One message in every language: a missing translation does not compile. */
type Translations = Readonly<Record<Language, string>>;

/** Each code's message, used when nothing more precise (e.g. OneAccess's own text) exists. */
const CODE_MESSAGES: Readonly<Record<ErrorCode, Translations>> = {
  VALIDATION_FAILED: { en: 'The request is not valid.', 'zh-CN': '请求无效。' },
  UPSTREAM_REJECTED: {
    en: 'The identity service rejected the request.',
    'zh-CN': '身份服务拒绝了该请求。',
  },
  INVALID_CREDENTIALS: {
    en: 'The user name, password or code is wrong.',
    'zh-CN': '用户名、密码或验证码错误。',
  },
  UNAUTHENTICATED: { en: 'Sign in first.', 'zh-CN': '请先登录。' },
  SESSION_EXPIRED: {
    en: 'Your session has ended. Please sign in again.',
    'zh-CN': '会话已结束，请重新登录。',
  },
  CSRF_REJECTED: {
    en: 'The request was refused: it did not come from this application.',
    'zh-CN': '请求被拒绝：它并非来自本应用。',
  },
  ACCESS_DENIED: { en: 'Access denied.', 'zh-CN': '拒绝访问。' },
  ACCOUNT_LOCKED: { en: 'The account is locked.', 'zh-CN': '账号已被锁定。' },
  NOT_FOUND: { en: 'Not found.', 'zh-CN': '未找到。' },
  NO_PENDING_STEP: { en: 'This step is not expected now.', 'zh-CN': '当前不需要此步骤。' },
  CAPTCHA_REQUIRED: {
    en: 'Solve the captcha for this mobile number first.',
    'zh-CN': '请先为该手机号完成图形验证。',
  },
  PAYLOAD_TOO_LARGE: { en: 'The request body is too large.', 'zh-CN': '请求体过大。' },
  UNSUPPORTED_MEDIA_TYPE: {
    en: 'The request body must be JSON.',
    'zh-CN': '请求体必须是 JSON。',
  },
  RATE_LIMITED: {
    en: 'Too many attempts. Try again later.',
    'zh-CN': '尝试次数过多，请稍后再试。',
  },
  INTERNAL: { en: 'Something went wrong.', 'zh-CN': '出现了错误。' },
  UPSTREAM_BAD_RESPONSE: {
    en: 'The identity service answered unexpectedly.',
    'zh-CN': '身份服务返回了异常的应答。',
  },
  UPSTREAM_UNAVAILABLE: {
    en: 'The identity service is unavailable. Try again shortly.',
    'zh-CN': '身份服务暂不可用，请稍后再试。',
  },
  SESSION_STORE_UNAVAILABLE: {
    en: 'The session service is unavailable. Try again shortly.',
    'zh-CN': '会话服务暂不可用，请稍后再试。',
  },
  UPSTREAM_TIMEOUT: {
    en: 'The identity service did not answer in time.',
    'zh-CN': '身份服务未能及时应答。',
  },
};

/**
 * Messages more precise than their code's, by name. `{name}` is filled from the error's
 * `params` (values that are identifiers, not prose, so they need no translation).
 */
const DETAIL_MESSAGES = {
  BODY_NOT_JSON: { en: 'The request body is not valid JSON.', 'zh-CN': '请求体不是有效的 JSON。' },
  BODY_TOO_DEEP: {
    en: 'The request body is nested too deeply.',
    'zh-CN': '请求体的嵌套层级过深。',
  },
  BODY_COMPRESSED: {
    en: 'The request body must not be compressed.',
    'zh-CN': '请求体不得压缩。',
  },
  NO_HOST: { en: 'The request has no Host header.', 'zh-CN': '请求缺少 Host 头。' },
  PATH_INVALID: { en: 'The request path is not valid.', 'zh-CN': '请求路径无效。' },
  PATH_NOT_ALLOWED: { en: 'The path is not allowed.', 'zh-CN': '不允许访问该路径。' },
  HEADERS_TOO_LARGE: { en: 'The request headers are too large.', 'zh-CN': '请求头过大。' },
  REQUEST_TIMEOUT: {
    en: 'The request did not arrive in time.',
    'zh-CN': '请求未能及时送达。',
  },
  REQUEST_UNREADABLE: { en: 'The request could not be read.', 'zh-CN': '无法读取该请求。' },
  NO_API_CREDENTIAL: {
    en: 'This sign-in has no credential for this API.',
    'zh-CN': '本次登录没有访问该 API 的凭据。',
  },
  NO_ACCOUNT_CREDENTIAL: {
    en: 'This sign-in cannot manage the OneAccess account.',
    'zh-CN': '本次登录无法管理 OneAccess 账号。',
  },
  API_UNAVAILABLE: {
    en: 'The API is unavailable. Try again shortly.',
    'zh-CN': '该 API 暂不可用，请稍后再试。',
  },
  API_TIMEOUT: { en: 'The API did not answer in time.', 'zh-CN': '该 API 未能及时应答。' },
  RELAY_BUSY: {
    en: 'Too many API calls in progress. Try again shortly.',
    'zh-CN': '进行中的 API 调用过多，请稍后再试。',
  },
  // The answer at the stop: no Retry-After, since waiting is not what lifts it (docs/api.md 7).
  LOGIN_HARD_STOP: {
    en: 'Too many failed sign-ins for this account. Sign in with an SMS code, or reset the password by SMS: after a reset the new password works at once.',
    'zh-CN':
      '该账号登录失败次数过多。请使用短信验证码登录，或通过短信重置密码：重置后新密码立即生效。',
  },
  LOGIN_CAPTCHA_REQUIRED: {
    en: 'Solve the captcha for this account, then sign in again.',
    'zh-CN': '请先为该账号完成图形验证，然后重新登录。',
  },
  SESSION_CONTENDED: {
    en: 'The session changed too often to update it.',
    'zh-CN': '会话变化过于频繁，无法更新。',
  },
  NOT_READY: {
    en: 'Not ready: {down} unavailable.',
    'zh-CN': '未就绪：{down} 不可用。',
  },
} as const satisfies Record<string, Translations>;

/**
 * The entries of `errors` (validation failures) in Chinese, by the rule that failed (class-validator's
 * constraint name). In English the entry keeps the validator's own text, which names the limit
 * (e.g. "must be shorter than or equal to 64 characters"); in Chinese the rule's text, with the
 * field's name. A rule without an entry reads as FIELD_INVALID.
 */
export const FIELD_RULES_ZH: Readonly<Record<string, string>> = {
  isNotEmpty: '{field} 为必填项。',
  isString: '{field} 必须是字符串。',
  maxLength: '{field} 过长。',
  minLength: '{field} 过短。',
  isInt: '{field} 必须是整数。',
  min: '{field} 过小。',
  max: '{field} 过大。',
  isEmail: '{field} 必须是邮箱地址。',
  isIn: '{field} 的取值不在允许范围内。',
  isObject: '{field} 必须是 JSON 对象。',
  matches: '{field} 的格式无效。',
  whitelistValidation: '{field} 不是可接受的字段。',
  eitherUserNameOrMobile: '请提供 user_name 或 mobile 之一。',
};
export const FIELD_INVALID_ZH = '{field} 无效。';

/** Every message the gateway writes itself, in every language. */
export const MESSAGES: Readonly<Record<MessageId, Translations>> = {
  ...CODE_MESSAGES,
  ...DETAIL_MESSAGES,
};

/** A message of the gateway's own: an error code (its default) or a more precise message. */
export type MessageId = ErrorCode | keyof typeof DETAIL_MESSAGES;

/** The message in `language`, its `{name}` placeholders filled from `params`. */
export function messageText(
  id: MessageId,
  language: Language,
  params?: Readonly<Record<string, string>>,
): string {
  const text = MESSAGES[id][language];
  return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '') : text;
}
