import { Injectable } from '@nestjs/common';
import { DeviceContext } from './device-context';
import { CaptchaAnswer, CountryCodes, SliderCaptcha, SmsRequest } from './oneaccess.types';
import { badResponse, isString } from './oneaccess-answer';
import { SDK, SdkBase } from './sdk-base';

/**
 * The SDK's unsigned helpers before any login (docs/oneaccess.md section 4): OneAccess's clock,
 * the slider captcha, the dialling codes and the SMS that the code-based flows need.
 *
 * Every method may also throw the common codes listed on {@link SdkBase}.
 */
@Injectable()
export class SdkVerificationClient extends SdkBase {
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
}
