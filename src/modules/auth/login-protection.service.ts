import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError, storeUnavailable } from '../../common/errors/app-error';
import { RATE_LIMITER, RateLimiter, RateLimitResult } from '../../common/rate-limit/rate-limiter';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service';
import { oneAccessConfig } from '../../config/oneaccess.config';
import {
  accountName,
  ACCOUNT_MEMORY_MS,
  ADDRESS_WINDOW_MS,
  LoginProtectionLimits,
  loginProtectionLimits,
} from './login-protection';
import { SessionHandle } from './session-handle';

/**
 * How long a captcha verified for a password login may wait for it; the same as the SMS
 * captcha's (verification.service.ts).
 */
export const LOGIN_CAPTCHA_TTL_MS = 5 * 60_000;

/**
 * Keeps strangers from locking an account at OneAccess through the gateway (docs/security.md 45).
 * Failed passwords are counted per account (consecutive, as OneAccess counts them; a success
 * resets) and per address. After a few failures every attempt needs a slider captcha verified
 * for that account in this session (single use); one failure below OneAccess's threshold the
 * gateway stops forwarding attempts for the account altogether, so OneAccess never reaches it.
 * Counts are reserved before the call, so concurrent attempts cannot overshoot. Off with
 * `RATE_LIMITS=off`, like the rate limits.
 */
@Injectable()
export class LoginProtectionService {
  private readonly logger = new Logger('LoginProtection');
  private readonly limits: LoginProtectionLimits;

  constructor(
    @Inject(RATE_LIMITER) private readonly counters: RateLimiter,
    private readonly rateLimits: RateLimitService,
    private readonly audit: AuditLog,
    @Inject(oneAccessConfig.KEY) cfg: ConfigType<typeof oneAccessConfig>,
  ) {
    this.limits = loginProtectionLimits(cfg.lockoutThreshold);
  }

  /**
   * Runs one password attempt for `userName` under the protection and counts its outcome.
   * @throws AppError CAPTCHA_REQUIRED (no captcha verified for this account), RATE_LIMITED (the
   *   hard stop), SESSION_STORE_UNAVAILABLE; whatever `attempt` throws.
   */
  async protect<T>(
    session: SessionHandle,
    userName: string,
    attempt: () => Promise<T>,
  ): Promise<T> {
    if (!this.rateLimits.enabled) return attempt();
    const account = `login_failures:${this.rateLimits.pseudonym(accountName(userName))}`;
    const address = `login_failures_ip:${this.rateLimits.pseudonym(session.facts().ip ?? '')}`;
    const byAccount = await this.consume(account, this.limits.hardStop, ACCOUNT_MEMORY_MS);
    if (!byAccount.allowed) {
      await this.refund(account);
      this.record(session, 'hard_stop', userName);
      throw new AppError('RATE_LIMITED', 'LOGIN_HARD_STOP', {
        retryAfterS: byAccount.retryAfterS,
      });
    }
    const byAddress = await this.consume(
      address,
      this.limits.captchaAfterPerAddress,
      ADDRESS_WINDOW_MS,
    );
    const needsCaptcha = byAccount.count > this.limits.captchaAfter || !byAddress.allowed;
    if (needsCaptcha && !this.takeCaptcha(session, userName)) {
      await Promise.all([this.refund(account), this.refund(address)]);
      this.record(session, 'captcha_required', userName);
      throw new AppError('CAPTCHA_REQUIRED', 'LOGIN_CAPTCHA_REQUIRED');
    }
    try {
      const result = await attempt();
      // The right password: OneAccess's count starts again, so does ours.
      await Promise.all([this.settle(() => this.counters.reset(account)), this.refund(address)]);
      return result;
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'INVALID_CREDENTIALS'))
        await Promise.all([this.refund(account), this.refund(address)]);
      throw err;
    }
  }

  /** Keeps a verified captcha for a password attempt on `userName` (verification.service.ts). */
  rememberCaptcha(session: SessionHandle, userName: string): void {
    session.data.login_captcha = {
      account: accountName(userName),
      expires_at: Date.now() + LOGIN_CAPTCHA_TTL_MS,
    };
  }

  /** Uses up the session's login captcha when it was verified for this account. */
  private takeCaptcha(session: SessionHandle, userName: string): boolean {
    const captcha = session.data.login_captcha;
    if (!captcha) return false;
    delete session.data.login_captcha;
    return captcha.account === accountName(userName) && captcha.expires_at > Date.now();
  }

  private record(session: SessionHandle, reason: string, userName: string): void {
    this.audit.record(
      'login_protected',
      {
        reason,
        account: this.rateLimits.pseudonym(accountName(userName)),
        client: this.rateLimits.pseudonym(session.facts().ip ?? ''),
      },
      session.id,
    );
  }

  private async consume(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    try {
      return await this.counters.consume(key, limit, windowMs);
    } catch (cause) {
      // Without the counts a flood cannot be told from a person: refuse (fail closed).
      throw storeUnavailable(cause);
    }
  }

  private refund(key: string): Promise<void> {
    return this.settle(() => this.counters.refund(key));
  }

  /** A failed correction leaves a count one too high until it expires: stricter, never looser. */
  private async settle(op: () => Promise<void>): Promise<void> {
    try {
      await op();
    } catch (err) {
      this.logger.warn({ event: 'login_protection_settle_failed', cause: (err as Error).message });
    }
  }
}
