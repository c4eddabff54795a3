import { Inject, Injectable } from '@nestjs/common';
import { DeviceContext } from './device-context';
import { ONEACCESS_ENDPOINT, OneAccessEndpoint } from './oneaccess-endpoint';
import { OneAccessTransport } from './oneaccess-transport';
import {
  CaptchaAnswer,
  CountryCodes,
  LoginResult,
  PasswordPolicy,
  Profile,
  ProfileUpdate,
  Registration,
  SliderCaptcha,
  SmsRequest,
  SocialAccount,
} from './oneaccess.types';
import { sdkHeaders } from './sdk-headers';
import { XSignatureSigner } from './x-signature.signer';
import { badResponse, isObject, isString, toSeconds } from './oneaccess-answer';

const SDK = '/api/v2/sdk';

interface SdkCall {
  method: 'GET' | 'POST';
  path: string;
  json?: unknown;
  /** `X-state-token` of a pending login step. */
  stateToken?: string;
  /** `X-signature`, from the signer. */
  signature?: string;
  expect: 'json' | 'none';
}

/**
 * The OneAccess user-side SDK API (`/api/v2/sdk/*`, docs/oneaccess.md sections 4 and 5): captcha,
 * SMS, the login flows and their follow-up steps, profile and social accounts. Every call carries
 * the caller's device headers; the post-login calls are signed with X-signature.
 *
 * Every method may throw UpstreamError with UPSTREAM_TIMEOUT, UPSTREAM_UNAVAILABLE,
 * UPSTREAM_BAD_RESPONSE (also when an answer lacks what its type promises), or, for a OneAccess
 * refusal, the contract code of its `error_code` (INVALID_CREDENTIALS, ACCOUNT_LOCKED, or
 * UPSTREAM_REJECTED) with `upstreamCode` set.
 */
@Injectable()
export class SdkClient {
  constructor(
    private readonly transport: OneAccessTransport,
    @Inject(ONEACCESS_ENDPOINT) private readonly endpoint: OneAccessEndpoint,
    private readonly signer: XSignatureSigner,
  ) {}

  /**
   * OneAccess's clock (epoch ms), from `GET /api/v2/sdk/server-date`; cheap enough for a readiness
   * probe. The signer reads it itself for X-signature.
   * @throws UpstreamError UPSTREAM_TIMEOUT, UPSTREAM_UNAVAILABLE, UPSTREAM_BAD_RESPONSE
   */
  async getServerTime(device: DeviceContext): Promise<number> {
    const res = await this.call<{ timestamp?: unknown }>(device, {
      method: 'GET',
      path: `${SDK}/server-date`,
      expect: 'json',
    });
    // Documented as a String of epoch milliseconds; a number is accepted too.
    const ts =
      typeof res.timestamp === 'string' && res.timestamp.trim() !== ''
        ? Number(res.timestamp)
        : res.timestamp;
    if (typeof ts !== 'number' || !Number.isFinite(ts))
      throw badResponse('server-date without a timestamp');
    return ts;
  }

  /**
   * A new slider captcha (`GET /api/v2/sdk/captcha`).
   * @throws UpstreamError UPSTREAM_BAD_RESPONSE when `token` or either image is missing; the common codes.
   */
  async getCaptcha(device: DeviceContext): Promise<SliderCaptcha> {
    const res = await this.call<Record<string, unknown>>(device, {
      method: 'GET',
      path: `${SDK}/captcha`,
      expect: 'json',
    });
    if (
      !isString(res.token) ||
      !isString(res.originalImageBase64) ||
      !isString(res.jigsawImageBase64)
    ) {
      throw badResponse('captcha without token or images');
    }
    return res as unknown as SliderCaptcha;
  }

  /**
   * Checks the slider position (`POST /api/v2/sdk/captcha/verify`) and returns the `captcha_token`
   * that `sendSms` needs. It must stay server-side (docs/api.md section 1).
   * @throws UpstreamError UPSTREAM_REJECTED for a wrong position or token; the common codes.
   */
  async verifyCaptcha(device: DeviceContext, answer: CaptchaAnswer): Promise<string> {
    const res = await this.call<{ captcha_token?: unknown }>(device, {
      method: 'POST',
      path: `${SDK}/captcha/verify`,
      json: { point_json: answer.pointJson, token: answer.token, sender: answer.sender },
      expect: 'json',
    });
    if (!isString(res.captcha_token)) throw badResponse('captcha verify without captcha_token');
    return res.captcha_token;
  }

  /**
   * International dialling codes configured for the instance (`GET /api/v2/sdk/country-codes`).
   * @throws UpstreamError UPSTREAM_BAD_RESPONSE when `phoneAreaCodeDefinitions` is not a list; the common codes.
   */
  async getCountryCodes(device: DeviceContext): Promise<CountryCodes> {
    const res = await this.call<Record<string, unknown>>(device, {
      method: 'GET',
      path: `${SDK}/country-codes`,
      expect: 'json',
    });
    if (!Array.isArray(res.phoneAreaCodeDefinitions))
      throw badResponse('country-codes without a list');
    return res as unknown as CountryCodes;
  }

  /**
   * Sends an SMS code (`POST /api/v2/sdk/sms/send`); OneAccess answers with an empty body.
   * @throws UpstreamError UPSTREAM_REJECTED (e.g. captcha token refused, quota exhausted); the common codes.
   */
  async sendSms(device: DeviceContext, sms: SmsRequest): Promise<void> {
    await this.call(device, {
      method: 'POST',
      path: `${SDK}/sms/send`,
      json: { mobile: sms.mobile, type: sms.type, captcha_token: sms.captchaToken },
      expect: 'none',
    });
  }

  /**
   * `POST /api/v2/sdk/login`.
   * @throws UpstreamError INVALID_CREDENTIALS (`LOGIN.0002`), ACCOUNT_LOCKED, UPSTREAM_REJECTED; the common codes.
   */
  loginWithPassword(
    device: DeviceContext,
    userName: string,
    password: string,
  ): Promise<LoginResult> {
    return this.login(device, { path: `${SDK}/login`, json: { user_name: userName, password } });
  }

  /**
   * `POST /api/v2/sdk/login/mobile-verify-code`, after an SMS of type LOGIN_SMS.
   * @throws UpstreamError INVALID_CREDENTIALS for a wrong code, UPSTREAM_REJECTED; the common codes.
   */
  loginWithSms(device: DeviceContext, mobile: string, code: string): Promise<LoginResult> {
    return this.login(device, {
      path: `${SDK}/login/mobile-verify-code`,
      json: { mobile, verify_code: code },
    });
  }

  /**
   * `POST /api/v2/sdk/login/wechat` with the code the WeChat app returned; may answer SOCIAL_BIND.
   * @throws UpstreamError UPSTREAM_REJECTED; the common codes.
   */
  loginWithWechat(device: DeviceContext, code: string): Promise<LoginResult> {
    return this.login(device, { path: `${SDK}/login/wechat`, json: { code } });
  }

  /**
   * `POST /api/v3/sdk/login/alipay`: the URI section says v3 while the page's example says v2; we
   * follow the URI section (docs/oneaccess.md 5.10). May answer SOCIAL_BIND.
   * @throws UpstreamError UPSTREAM_REJECTED; the common codes.
   */
  loginWithAlipay(device: DeviceContext, code: string): Promise<LoginResult> {
    return this.login(device, { path: '/api/v3/sdk/login/alipay', json: { code } });
  }

  /**
   * The mobile number that will receive the MFA code (`GET /api/v2/sdk/mobile-by-token`).
   * @throws UpstreamError UPSTREAM_REJECTED for an invalid state token; UPSTREAM_BAD_RESPONSE without `mobile`; the common codes.
   */
  async getMfaMobile(device: DeviceContext, stateToken: string): Promise<string> {
    const res = await this.call<{ mobile?: unknown }>(device, {
      method: 'GET',
      path: `${SDK}/mobile-by-token`,
      stateToken,
      expect: 'json',
    });
    if (!isString(res.mobile)) throw badResponse('mobile-by-token without mobile');
    return res.mobile;
  }

  /**
   * Completes MFA with the SMS code (`POST /api/v2/sdk/mfa/sms`).
   * @throws UpstreamError INVALID_CREDENTIALS for a wrong code, UPSTREAM_REJECTED; the common codes.
   */
  verifyMfaSms(
    device: DeviceContext,
    stateToken: string,
    mobile: string,
    code: string,
  ): Promise<LoginResult> {
    return this.login(device, {
      path: `${SDK}/mfa/sms`,
      json: { mobile, verify_code: code },
      stateToken,
    });
  }

  /**
   * Registers with mobile and SMS code (`POST /api/v2/sdk/register/mobile-verify-code`) and logs in.
   * Only the documented fields are sent, whatever object the caller passes.
   * @throws UpstreamError INVALID_CREDENTIALS for a wrong code, UPSTREAM_REJECTED (e.g. mobile taken); the common codes.
   */
  register(device: DeviceContext, fields: Registration): Promise<LoginResult> {
    return this.login(device, {
      path: `${SDK}/register/mobile-verify-code`,
      json: pick(fields, REGISTRATION_FIELDS),
    });
  }

  /**
   * Keeps the soon-expiring password (`GET /api/v2/sdk/pwd/skip-update`), after PASSWORD_WARN only.
   * @throws UpstreamError UPSTREAM_REJECTED; the common codes.
   */
  skipPasswordUpdate(device: DeviceContext, stateToken: string): Promise<LoginResult> {
    return this.login(device, { method: 'GET', path: `${SDK}/pwd/skip-update`, stateToken });
  }

  /**
   * Changes a warned or expired password (`POST /api/v2/sdk/pwd/update`).
   * @throws UpstreamError INVALID_CREDENTIALS for a wrong old password, UPSTREAM_REJECTED (policy); the common codes.
   */
  updatePassword(
    device: DeviceContext,
    stateToken: string,
    oldPassword: string,
    newPassword: string,
  ): Promise<LoginResult> {
    return this.login(device, {
      path: `${SDK}/pwd/update`,
      json: { old_password: oldPassword, new_password: newPassword },
      stateToken,
    });
  }

  /**
   * Sets a new password with an SMS code of type FORGET_PWD_SMS (`POST /api/v2/sdk/pwd/update-by-mobile`).
   * @throws UpstreamError INVALID_CREDENTIALS for a wrong code, UPSTREAM_REJECTED; the common codes.
   */
  async resetPasswordByMobile(
    device: DeviceContext,
    mobile: string,
    code: string,
    password: string,
  ): Promise<void> {
    await this.call(device, {
      method: 'POST',
      path: `${SDK}/pwd/update-by-mobile`,
      json: { mobile, verify_code: code, password },
      expect: 'none',
    });
  }

  /**
   * Links the pending social identity to the existing user owning `mobile` (`POST /api/v2/sdk/social/bind`).
   * @throws UpstreamError INVALID_CREDENTIALS for a wrong code, UPSTREAM_REJECTED; the common codes.
   */
  bindSocial(
    device: DeviceContext,
    stateToken: string,
    mobile: string,
    code: string,
  ): Promise<LoginResult> {
    return this.login(device, {
      path: `${SDK}/social/bind`,
      json: { mobile, verify_code: code },
      stateToken,
    });
  }

  /**
   * Creates the user if `mobile` is new, then links the pending social identity
   * (`POST /api/v2/sdk/social/register-bind`).
   * @throws UpstreamError INVALID_CREDENTIALS for a wrong code, UPSTREAM_REJECTED; the common codes.
   */
  registerBindSocial(
    device: DeviceContext,
    stateToken: string,
    mobile: string,
    code: string,
  ): Promise<LoginResult> {
    return this.login(device, {
      path: `${SDK}/social/register-bind`,
      json: { mobile, verify_code: code },
      stateToken,
    });
  }

  /**
   * The user's linked social accounts (`GET /api/v2/sdk/social`, X-signature). A missing `social`
   * list is read as none.
   * @throws UpstreamError UPSTREAM_REJECTED (PARAM.0030 after the signer's one retry); UPSTREAM_BAD_RESPONSE; the common codes.
   */
  async listSocialAccounts(device: DeviceContext, sessionToken: string): Promise<SocialAccount[]> {
    const res = await this.signed<{ social?: unknown }>(device, sessionToken, {
      method: 'GET',
      path: `${SDK}/social`,
      expect: 'json',
    });
    if (res.social === undefined || res.social === null) return [];
    if (!Array.isArray(res.social) || !res.social.every((s) => isObject(s) && isString(s.id))) {
      throw badResponse('social list malformed');
    }
    return res.social as SocialAccount[];
  }

  /**
   * Unlinks one social account by its `id` from {@link listSocialAccounts}
   * (`POST /api/v2/sdk/social/unbind-account`, X-signature).
   * @throws UpstreamError UPSTREAM_REJECTED; the common codes.
   */
  async unbindSocialAccount(
    device: DeviceContext,
    sessionToken: string,
    id: string,
  ): Promise<void> {
    await this.signed(device, sessionToken, {
      method: 'POST',
      path: `${SDK}/social/unbind-account`,
      json: { id },
      expect: 'none',
    });
  }

  /**
   * The user's own profile (`GET /api/v2/sdk/profile`, X-signature). Only the documented profile
   * fields are kept: an older page also lists `pwd` and `verify_code`, which must never travel on.
   * @throws UpstreamError UPSTREAM_REJECTED; UPSTREAM_BAD_RESPONSE; the common codes.
   */
  async getProfile(device: DeviceContext, sessionToken: string): Promise<Profile> {
    const res = await this.signed<unknown>(device, sessionToken, {
      method: 'GET',
      path: `${SDK}/profile`,
      expect: 'json',
    });
    if (!isObject(res)) throw badResponse('profile is not an object');
    return pick(res, PROFILE_FIELDS) as Profile;
  }

  /**
   * Updates the profile (`POST /api/v2/sdk/profile/update`, X-signature). The answer's body is not
   * documented and is ignored: read the profile again for the result.
   * @throws UpstreamError UPSTREAM_REJECTED; the common codes.
   */
  async updateProfile(
    device: DeviceContext,
    sessionToken: string,
    fields: ProfileUpdate,
  ): Promise<void> {
    await this.signed(device, sessionToken, {
      method: 'POST',
      path: `${SDK}/profile/update`,
      json: pick(fields, PROFILE_UPDATE_FIELDS),
      expect: 'none',
    });
  }

  /**
   * Ends the OneAccess session of `sessionToken` (`GET /api/v2/sdk/logout`, X-signature).
   * @throws UpstreamError UPSTREAM_REJECTED; the common codes.
   */
  async logout(device: DeviceContext, sessionToken: string): Promise<void> {
    await this.signed(device, sessionToken, {
      method: 'GET',
      path: `${SDK}/logout`,
      expect: 'none',
    });
  }

  /**
   * A fresh id_token for `sessionToken` (`POST /api/v2/sdk/session-token/refresh-id-token`,
   * X-signature, no body).
   * @throws UpstreamError UPSTREAM_REJECTED when the session is no longer valid; UPSTREAM_BAD_RESPONSE; the common codes.
   */
  async refreshIdToken(device: DeviceContext, sessionToken: string): Promise<string> {
    const res = await this.signed<{ id_token?: unknown }>(device, sessionToken, {
      method: 'POST',
      path: `${SDK}/session-token/refresh-id-token`,
      expect: 'json',
    });
    if (!isString(res.id_token)) throw badResponse('refresh-id-token without id_token');
    return res.id_token;
  }

  private async login(
    device: DeviceContext,
    call: { method?: 'GET' | 'POST'; path: string; json?: unknown; stateToken?: string },
  ): Promise<LoginResult> {
    const raw = await this.call<Record<string, unknown>>(device, {
      method: 'POST',
      ...call,
      expect: 'json',
    });
    return toLoginResult(raw);
  }

  private signed<T>(
    device: DeviceContext,
    sessionToken: string,
    call: Omit<SdkCall, 'signature' | 'stateToken'>,
  ): Promise<T> {
    return this.signer.signed(sessionToken, device, (signature) =>
      this.call<T>(device, { ...call, signature }),
    );
  }

  private call<T>(device: DeviceContext, call: SdkCall): Promise<T> {
    const headers = sdkHeaders(this.endpoint, device);
    if (call.stateToken !== undefined) headers['X-state-token'] = call.stateToken;
    if (call.signature !== undefined) headers['X-signature'] = call.signature;
    return this.transport.call<T>({
      method: call.method,
      path: call.path,
      headers,
      json: call.json,
      expect: call.expect,
    });
  }
}

const REGISTRATION_FIELDS = [
  'mobile',
  'verify_code',
  'user_name',
  'name',
  'email',
  'pwd',
  'head_img',
  'attr_gender',
  'attr_birthday',
  'attr_nick_name',
  'first_name',
  'middle_name',
  'last_name',
  'extension',
] as const satisfies readonly (keyof Registration)[];

const PROFILE_UPDATE_FIELDS = [
  'user_name',
  'name',
  'head_img',
  'attr_gender',
  'attr_birthday',
  'attr_nick_name',
  'first_name',
  'middle_name',
  'last_name',
  'extension',
] as const satisfies readonly (keyof ProfileUpdate)[];

const PROFILE_FIELDS = [
  ...PROFILE_UPDATE_FIELDS,
  'email',
  'mobile',
] as const satisfies readonly (keyof Profile)[];

/**
 * Checks a login answer against what its status promises and keeps only the documented fields.
 * An undocumented status is refused rather than passed on: callers switch exhaustively on the
 * union, and the gateway could not complete a step it does not know anyway.
 */
function toLoginResult(raw: Record<string, unknown>): LoginResult {
  const result = loginFields(raw);
  if (isString(raw.data)) result.data = raw.data;
  return result;
}

function loginFields(raw: Record<string, unknown>): LoginResult {
  const { status } = raw;
  switch (status) {
    case 'SUCCESS': {
      if (!isString(raw.session_token)) throw badResponse('SUCCESS without session_token');
      const result: LoginResult = { status, session_token: raw.session_token };
      if (isString(raw.id_token)) result.id_token = raw.id_token;
      const expire = toSeconds(raw.expire, 'login expire');
      if (expire !== undefined) result.expire = expire;
      return result;
    }
    case 'ACCESS_DENIED':
      return { status };
    case 'PASSWORD_WARN':
    case 'PASSWORD_EXPIRED': {
      const policy = isString(raw.data) ? parsePolicy(raw.data) : undefined;
      const result: LoginResult = { status, state_token: stateTokenOf(raw) };
      if (policy !== undefined) result.password_policy = policy;
      return result;
    }
    case 'MFA_AUTH':
    case 'SOCIAL_BIND':
      return { status, state_token: stateTokenOf(raw) };
    default:
      throw badResponse(
        typeof status === 'string'
          ? `undocumented login status ${status.slice(0, 40)}`
          : 'login answer without status',
      );
  }
}

function stateTokenOf(raw: Record<string, unknown>): string {
  if (!isString(raw.state_token)) throw badResponse(`${String(raw.status)} without state_token`);
  return raw.state_token;
}

/** `data` is a JSON string on PASSWORD_WARN (Bamboo example); anything else is not a policy. */
function parsePolicy(data: string): PasswordPolicy | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function pick<K extends string>(source: object, keys: readonly K[]): Partial<Record<K, unknown>> {
  const record = source as Record<string, unknown>;
  const out: Partial<Record<K, unknown>> = {};
  for (const key of keys) if (record[key] !== undefined) out[key] = record[key];
  return out;
}
