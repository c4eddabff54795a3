import { randomHex32 } from '../crypto/random';
import { OneAccessError } from '../errors/sim-errors';
import { ExpiringStore } from '../state/expiring-store';
import type { IssuedTokens } from '../state/issued-tokens';
import { renderSliderCaptcha } from './slider-image';

/** The y every slider answer carries: "y axis fixed value 5.0" (§5.4). */
export const SLIDER_Y = 5;

export interface CaptchaSettings {
  captchaLifetimeS: number;
  captchaTokenLifetimeS: number;
  toleranceX: number;
}

/**
 * Slider captchas (#3, #4) and the captcha_tokens they yield.
 *
 * - A captcha is consumed by any verify attempt, right or wrong, as AJ-Captcha does.
 * - `secretKey` is null, so point_json is sent in clear (AJ-Captcha encrypts it only when a
 *   secretKey is handed out).
 * - A captcha_token is bound to the `sender` it was verified for, single use and expiring.
 */
export class CaptchaService {
  private readonly captchas = new ExpiringStore<string, { x: number }>();
  private readonly captchaTokens = new ExpiringStore<string, { sender: string }>();

  constructor(
    private readonly settings: () => CaptchaSettings,
    private readonly issued: IssuedTokens,
  ) {}

  /** A new captcha in the documented camelCase shape (§5.3). */
  create(): Record<string, unknown> {
    const image = renderSliderCaptcha();
    const token = this.issued.record('captcha', randomHex32());
    this.captchas.set(token, { x: image.x }, this.settings().captchaLifetimeS * 1000);
    return {
      captchaId: null,
      projectCode: null,
      captchaOriginalPath: null,
      captchaFontType: null,
      captchaFontSize: null,
      secretKey: null,
      originalImageBase64: image.originalImageBase64,
      point: null,
      jigsawImageBase64: image.jigsawImageBase64,
      wordList: null,
      pointList: null,
      pointJson: null,
      token,
      result: false,
      captchaVerification: null,
    };
  }

  /** The answer to send for a live captcha (control endpoint), or undefined. */
  answer(token: string): { x: number; y: number } | undefined {
    const captcha = this.captchas.get(token);
    return captcha && { x: captcha.x, y: SLIDER_Y };
  }

  /**
   * Checks a slider answer and issues `token---point_json`.
   * @throws OneAccessError CAPTCHA_EXPIRED (unknown, expired or already tried captcha) or
   *   CAPTCHA_WRONG (x outside the tolerance, or point_json unreadable).
   */
  verify(token: string, pointJson: string, sender: string): string {
    const captcha = this.captchas.get(token);
    if (!captcha) throw new OneAccessError('CAPTCHA_EXPIRED');
    this.captchas.delete(token);
    const x = readX(pointJson);
    if (x === undefined || Math.abs(x - captcha.x) > this.settings().toleranceX) {
      throw new OneAccessError('CAPTCHA_WRONG');
    }
    const captchaToken = this.issued.record('captcha_token', `${token}---${pointJson}`);
    this.captchaTokens.set(captchaToken, { sender }, this.settings().captchaTokenLifetimeS * 1000);
    return captchaToken;
  }

  /**
   * Checks, without consuming, that `captchaToken` is live and was verified for `sender`.
   * @throws OneAccessError CAPTCHA_TOKEN_EXPIRED or CAPTCHA_TOKEN_INVALID.
   */
  assertCaptchaToken(captchaToken: string, sender: string): void {
    const found = this.captchaTokens.lookup(captchaToken);
    if (found.status === 'expired') throw new OneAccessError('CAPTCHA_TOKEN_EXPIRED');
    if (found.status === 'missing' || found.value.sender !== sender)
      throw new OneAccessError('CAPTCHA_TOKEN_INVALID');
  }

  consumeCaptchaToken(captchaToken: string): void {
    this.captchaTokens.delete(captchaToken);
  }
}

function readX(pointJson: string): number | undefined {
  try {
    const point = JSON.parse(pointJson) as { x?: unknown };
    const x = typeof point?.x === 'string' ? Number(point.x) : point?.x;
    return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
  } catch {
    return undefined;
  }
}
