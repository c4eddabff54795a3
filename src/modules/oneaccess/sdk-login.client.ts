import { Injectable } from '@nestjs/common';
import { DeviceContext } from './device-context';
import { LoginResult, Registration } from './oneaccess.types';
import { badResponse, isString } from './oneaccess-answer';
import { pick, SDK, SdkBase } from './sdk-base';

/**
 * The SDK's login flows and their follow-up steps (docs/oneaccess.md section 5): password, SMS,
 * WeChat and Alipay logins, MFA, the password warnings, registration, the social binding of a
 * new identity, and the password reset by SMS. A step's answer is a checked `LoginResult`.
 *
 * Every method may also throw the common codes listed on {@link SdkBase}.
 */
@Injectable()
export class SdkLoginClient extends SdkBase {
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
    return this.stepWithCode(device, `${SDK}/mfa/sms`, stateToken, mobile, code);
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
    return this.stepWithCode(device, `${SDK}/social/bind`, stateToken, mobile, code);
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
    return this.stepWithCode(device, `${SDK}/social/register-bind`, stateToken, mobile, code);
  }

  /** A pending step completed with an SMS code: the three steps share the body's shape. */
  private stepWithCode(
    device: DeviceContext,
    path: string,
    stateToken: string,
    mobile: string,
    code: string,
  ): Promise<LoginResult> {
    return this.login(device, { path, json: { mobile, verify_code: code }, stateToken });
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
