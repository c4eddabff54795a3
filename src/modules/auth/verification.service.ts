import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { SmsType } from '../oneaccess/oneaccess.types';
import { SdkVerificationClient } from '../oneaccess/sdk-verification.client';
import { SmsPurpose } from './dto/send-sms.dto';
import { CaptchaClaims } from './captcha-claims';
import { LoginProtectionService } from './login-protection.service';
import { SessionHandle } from './session-handle';
import { livePending } from './session-view';

/** The contract's `purpose` to OneAccess's SMS `type` (docs/api.md section 4). */
const SMS_TYPE: Record<SmsPurpose, SmsType> = {
  login: 'LOGIN_SMS',
  register: 'REGISTER_SMS',
  reset_password: 'FORGET_PWD_SMS',
  bind: 'BIND_MOBILE_SMS',
  mfa: 'OTP_REST_SMS',
};

/**
 * How long a verified captcha may wait for its SMS. OneAccess does not document the
 * captcha_token's lifetime; five minutes covers a person and stays short.
 */
const CAPTCHA_TOKEN_TTL_MS = 5 * 60_000;
/** A browser verifying captchas for many numbers in one session is not a person; keep a few. */
const MAX_KEPT_CAPTCHAS = 5;
/** What the contract promises the SPA; OneAccess does not state its resend interval. */
export const SMS_RETRY_AFTER_S = 60;

export interface CaptchaView {
  token: string;
  original_image_base64: string;
  jigsaw_image_base64: string;
  secret_key: string | null;
}

/**
 * The slider captcha and SMS codes. The captcha_token OneAccess issues is kept server-side,
 * bound to the mobile it was verified for, used once for one SMS, and never shown to the browser.
 */
@Injectable()
export class VerificationService {
  constructor(
    private readonly sdk: SdkVerificationClient,
    private readonly protection: LoginProtectionService,
    private readonly claims: CaptchaClaims,
  ) {}

  /** @throws UpstreamError */
  async captcha(session: SessionHandle): Promise<CaptchaView> {
    const c = await this.sdk.getCaptcha(session.device());
    return {
      token: c.token,
      original_image_base64: c.originalImageBase64,
      jigsaw_image_base64: c.jigsawImageBase64,
      secret_key: c.secretKey ?? null,
    };
  }

  /**
   * Verifies the slider position for a password attempt on `userName` (OneAccess's `sender` is
   * then the user name), or for `mobile` (during an MFA step, the step's own number).
   * @throws AppError VALIDATION_FAILED without a mobile outside MFA, or with both;
   *   UpstreamError for a wrong position
   */
  async verifyCaptcha(
    session: SessionHandle,
    token: string,
    pointJson: string,
    mobile?: string,
    userName?: string,
  ): Promise<{ verified: true }> {
    if (userName !== undefined) {
      if (mobile !== undefined) {
        throw new AppError('VALIDATION_FAILED', undefined, {
          fields: [
            {
              field: 'user_name',
              message: 'give either user_name or mobile',
              rule: 'eitherUserNameOrMobile',
            },
          ],
        });
      }
      await this.sdk.verifyCaptcha(session.device(), { token, pointJson, sender: userName });
      await this.protection.rememberCaptcha(session, userName);
      return { verified: true };
    }
    const sender = mobile ?? this.mfaMobile(session);
    const captchaToken = await this.sdk.verifyCaptcha(session.device(), {
      token,
      pointJson,
      sender,
    });
    const now = Date.now();
    const kept = (session.data.captchas ?? []).filter(
      (c) => c.expires_at > now && c.mobile !== sender,
    );
    kept.push({
      mobile: sender,
      captcha_token: captchaToken,
      expires_at: now + CAPTCHA_TOKEN_TTL_MS,
    });
    session.data.captchas = kept.slice(-MAX_KEPT_CAPTCHAS);
    await this.claims.grant(session, 'sms', sender, CAPTCHA_TOKEN_TTL_MS);
    return { verified: true };
  }

  /**
   * Sends a code with the captcha verified for that mobile, consuming it.
   * @throws AppError CAPTCHA_REQUIRED, NO_PENDING_STEP (purpose mfa outside MFA); UpstreamError
   */
  async sendSms(
    session: SessionHandle,
    purpose: SmsPurpose,
    mobile?: string,
  ): Promise<{ sent: true; retry_after_s: number }> {
    const target = purpose === 'mfa' ? this.mfaMobile(session, true) : mobile;
    if (!target) {
      throw new AppError('VALIDATION_FAILED', undefined, {
        fields: [{ field: 'mobile', message: 'mobile is required', rule: 'isNotEmpty' }],
      });
    }
    const now = Date.now();
    const captcha = (session.data.captchas ?? []).find(
      (c) => c.mobile === target && c.expires_at > now,
    );
    // Single use whatever OneAccess answers (it consumes the captcha_token either way), and one
    // send per captcha however many are sent at once: only the request that takes the claim.
    if (!captcha || !(await this.claims.take(session, 'sms', target)))
      throw new AppError('CAPTCHA_REQUIRED');
    session.data.captchas = session.data.captchas!.filter((c) => c !== captcha);
    await this.sdk.sendSms(session.device(), {
      mobile: target,
      type: SMS_TYPE[purpose],
      captchaToken: captcha.captcha_token,
    });
    return { sent: true, retry_after_s: SMS_RETRY_AFTER_S };
  }

  /** The full number of the pending MFA step. */
  private mfaMobile(session: SessionHandle, required = false): string {
    const pending = livePending(session.data, Date.now());
    if (pending?.status === 'MFA_AUTH' && pending.mobile) return pending.mobile;
    if (required) throw new AppError('NO_PENDING_STEP');
    throw new AppError('VALIDATION_FAILED', undefined, {
      fields: [{ field: 'mobile', message: 'mobile is required', rule: 'isNotEmpty' }],
    });
  }
}
