import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError, storeUnavailable } from '../../common/errors/app-error';
import { RATE_LIMITER, RateLimiter, RateLimitResult } from '../../common/rate-limit/rate-limiter';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service';
import { ONE_TIME_STORE, OneTimeStore } from '../../common/session/one-time.store';
import { accountName } from '../../common/session/account-name';
import type { SessionUser } from '../../common/session/session.types';
import { oneAccessConfig } from '../../config/oneaccess.config';
import { SsoClient } from '../oneaccess/sso.client';
import {
  accountNamesOf,
  ACCOUNT_MEMORY_MS,
  ADDRESS_WINDOW_MS,
  LoginProtectionLimits,
  loginProtectionLimits,
  NAMES_MEMORY_S,
} from './login-protection';
import { CaptchaClaims } from './captcha-claims';
import { SessionHandle } from './session-handle';

/**
 * How long a captcha verified for a password login may wait for it; the same as the SMS
 * captcha's (verification.service.ts).
 */
export const LOGIN_CAPTCHA_TTL_MS = 5 * 60_000;
/** How long the session that reset a password may sign in with it past the stop. */
const PROOF_TTL_MS = 10 * 60_000;

/**
 * Keeps strangers from locking an account at OneAccess through the gateway (docs/security.md 45).
 * Failed passwords are counted per account (consecutive, as OneAccess counts them; a success
 * resets) and per address group. After a few failures every attempt needs a slider captcha
 * verified for that account in this session; one failure below OneAccess's threshold the gateway
 * stops forwarding attempts for the account. The stop is lifted by what proves the phone: a
 * password reset by SMS (which OneAccess takes as the end of its own count, docs/oneaccess.md
 * 10). Counts are reserved before the call and the captcha is taken from Redis atomically, so
 * concurrent attempts, on any instance, cannot overshoot. Off with `RATE_LIMITS=off`.
 */
@Injectable()
export class LoginProtectionService {
  private readonly logger = new Logger('LoginProtection');
  private readonly limits: LoginProtectionLimits;

  constructor(
    @Inject(RATE_LIMITER) private readonly counters: RateLimiter,
    private readonly rateLimits: RateLimitService,
    private readonly audit: AuditLog,
    @Inject(ONE_TIME_STORE) private readonly once: OneTimeStore,
    private readonly captchas: CaptchaClaims,
    private readonly sso: SsoClient,
    @Inject(oneAccessConfig.KEY) cfg: ConfigType<typeof oneAccessConfig>,
  ) {
    this.limits = loginProtectionLimits(cfg.lockoutThreshold);
  }

  /**
   * Runs one password attempt for `userName` under the protection and counts its outcome;
   * `password` is only compared with the one this session set by a reset, never kept.
   * @throws AppError CAPTCHA_REQUIRED (no captcha verified for this account), RATE_LIMITED (the
   *   stop, without Retry-After), SESSION_STORE_UNAVAILABLE; whatever `attempt` throws.
   */
  async protect<T>(
    session: SessionHandle,
    userName: string,
    password: string,
    attempt: () => Promise<T>,
  ): Promise<T> {
    if (!this.rateLimits.enabled) return attempt();
    const account = this.accountKey(this.rateLimits.pseudonym(accountName(userName)));
    const address = `login_failures_ip:${this.rateLimits.pseudonym(this.client(session))}`;
    const byAccount = await this.consume(account, this.limits.hardStop, ACCOUNT_MEMORY_MS);
    if (!byAccount.allowed) {
      await this.refund(account);
      if (await this.ownerWithNewPassword(session, userName, password)) {
        this.record(session, 'past_stop_after_reset', userName);
        return this.run(attempt, account);
      }
      this.record(session, 'hard_stop', userName);
      // No Retry-After: it would hand a stranger the account's schedule, and the owner gets
      // past the stop by proving the phone, not by waiting.
      throw new AppError('RATE_LIMITED', 'LOGIN_HARD_STOP');
    }
    const byAddress = await this.consume(
      address,
      this.limits.captchaAfterPerAddress,
      ADDRESS_WINDOW_MS,
    );
    const needsCaptcha = byAccount.count > this.limits.captchaAfter || !byAddress.allowed;
    if (needsCaptcha && !(await this.takeCaptcha(session, userName))) {
      await Promise.all([this.refund(account), this.refund(address)]);
      this.record(session, 'captcha_required', userName);
      throw new AppError('CAPTCHA_REQUIRED', 'LOGIN_CAPTCHA_REQUIRED');
    }
    return this.run(attempt, account, address);
  }

  /**
   * Forwards the attempt and settles the counts: a success ends the account's count (as it ends
   * OneAccess's), anything but a wrong password gives back what was reserved. Without `address`
   * nothing was reserved (the owner past the stop), so a wrong password is counted afterwards.
   */
  private async run<T>(attempt: () => Promise<T>, account: string, address?: string): Promise<T> {
    try {
      const result = await attempt();
      await Promise.all([
        this.settle(() => this.counters.reset(account)),
        address ? this.refund(address) : undefined,
      ]);
      return result;
    } catch (err) {
      const wrong = err instanceof AppError && err.code === 'INVALID_CREDENTIALS';
      if (!address && wrong)
        await this.settle(async () => {
          await this.counters.consume(account, this.limits.hardStop, ACCOUNT_MEMORY_MS);
        });
      if (address && !wrong) await Promise.all([this.refund(account), this.refund(address)]);
      throw err;
    }
  }

  /**
   * Whether this session just reset, by SMS, the password of `userName`'s account and now signs in
   * with exactly that new password: then OneAccess's own count has ended (docs/oneaccess.md 10)
   * and the attempt cannot be a stranger's. The account's mobile comes from OneAccess's tenant
   * API, so a stranger's reset of their own number proves nothing about another account.
   */
  private async ownerWithNewPassword(
    session: SessionHandle,
    userName: string,
    password: string,
  ): Promise<boolean> {
    const proof = session.data.phone_proof;
    if (!proof || proof.expires_at <= Date.now()) return false;
    if (proof.password !== this.passwordMark(password)) return false;
    try {
      const user = await this.sso.getUserByUserName(userName.trim());
      return !!user.mobile && this.rateLimits.pseudonym(accountName(user.mobile)) === proof.mobile;
    } catch (err) {
      this.logger.warn({
        event: 'login_protection_owner_lookup_failed',
        code: (err as AppError).code,
      });
      return false;
    }
  }

  /** A keyed hash of a new password, kept only in the (encrypted) session for PROOF_TTL_MS. */
  private passwordMark(password: string): string {
    return this.rateLimits.pseudonym(`new password|${password}`);
  }

  /**
   * Keeps a verified captcha for one password attempt on `userName` (verification.service.ts),
   * in Redis, so that only one of many concurrent attempts, on any instance, can take it.
   */
  async rememberCaptcha(session: SessionHandle, userName: string): Promise<void> {
    await this.captchas.grant(session, 'login', accountName(userName), LOGIN_CAPTCHA_TTL_MS);
  }

  /**
   * Remembers which account names belong to a signed-in user's mobile, so that a later password
   * reset by SMS for that mobile, where OneAccess names no account, knows whose counts to clear.
   * Keyed and stored as pseudonyms only. Best effort: without it a reset clears less.
   */
  async learnAccount(user: SessionUser): Promise<void> {
    if (!this.rateLimits.enabled || !user.mobile) return;
    const names = accountNamesOf(user).map((n) => this.rateLimits.pseudonym(n));
    await this.settle(() =>
      this.once.put(
        { name: this.namesGroup(user.mobile), max: 1 },
        this.namesKey(user.mobile),
        JSON.stringify(names),
        NAMES_MEMORY_S,
      ),
    );
  }

  /**
   * The phone of `mobile` was proven by a password reset: OneAccess's count for the account ends
   * there, and so do ours, at once, for every name the gateway knows for that mobile (and the
   * mobile itself typed as a user name). For a name it does not know, this session may still
   * sign in past the stop with the new password (ownerWithNewPassword).
   */
  async phoneProven(session: SessionHandle, mobile: string, newPassword: string): Promise<void> {
    if (!this.rateLimits.enabled) return;
    session.data.phone_proof = {
      mobile: this.rateLimits.pseudonym(accountName(mobile)),
      password: this.passwordMark(newPassword),
      expires_at: Date.now() + PROOF_TTL_MS,
    };
    let known: string[] = [];
    try {
      const { value } = await this.once.take(this.namesGroup(mobile), this.namesKey(mobile));
      if (value) known = JSON.parse(value) as string[];
    } catch (err) {
      this.logger.warn({ event: 'login_protection_names_failed', cause: (err as Error).message });
    }
    const names = new Set([...known, this.rateLimits.pseudonym(accountName(mobile))]);
    await Promise.all(
      [...names].map((n) => this.settle(() => this.counters.reset(this.accountKey(n)))),
    );
  }

  /** Uses up the captcha verified for this account in this session; atomic across instances. */
  private takeCaptcha(session: SessionHandle, userName: string): Promise<boolean> {
    return this.captchas.take(session, 'login', accountName(userName));
  }

  /** One group per mobile, hash-tagged so the record and its index share a Cluster slot. */
  private namesGroup(mobile: string): string {
    return `account_names:{${this.rateLimits.pseudonym(accountName(mobile))}}`;
  }

  private namesKey(mobile: string): string {
    return `${this.namesGroup(mobile)}:names`;
  }

  private accountKey(pseudonym: string): string {
    return `login_failures:${pseudonym}`;
  }

  private client(session: SessionHandle): string {
    return this.rateLimits.clientOf(session.facts().ip);
  }

  private record(session: SessionHandle, reason: string, userName: string): void {
    this.audit.record(
      'login_protected',
      {
        reason,
        account: this.rateLimits.pseudonym(accountName(userName)),
        client: this.rateLimits.pseudonym(this.client(session)),
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
