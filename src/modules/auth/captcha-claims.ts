import { Inject, Injectable } from '@nestjs/common';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service';
import { ONE_TIME_STORE, OneTimeStore } from '../../common/session/one-time.store';
import { SessionHandle } from './session-handle';

/**
 * Claims one session may hold at once: a captcha for an SMS and a few accounts' logins is all a
 * person needs; the oldest goes first.
 */
const CLAIMS_PER_SESSION = 4;

/** What a verified captcha is for: an SMS to a mobile, or a password attempt on an account. */
export type CaptchaUse = 'sms' | 'login';

/**
 * One claim per verified captcha, kept in Redis and taken with GETDEL: of any number of concurrent
 * requests of one session, on any instance, exactly one gets it. (A copy in the session record
 * would not do: every concurrent request reads its own copy before any of them writes.) Keys are
 * pseudonyms of session, use and subject; the claim holds nothing else.
 */
@Injectable()
export class CaptchaClaims {
  constructor(
    @Inject(ONE_TIME_STORE) private readonly once: OneTimeStore,
    private readonly names: RateLimitService,
  ) {}

  /** @throws AppError SESSION_STORE_UNAVAILABLE */
  grant(session: SessionHandle, use: CaptchaUse, subject: string, ttlMs: number): Promise<void> {
    const group = this.group(session);
    return this.once.put(
      { name: group, max: CLAIMS_PER_SESSION },
      this.key(group, use, subject),
      '1',
      Math.ceil(ttlMs / 1000),
    );
  }

  /** True for the one caller that takes the claim. @throws AppError SESSION_STORE_UNAVAILABLE */
  async take(session: SessionHandle, use: CaptchaUse, subject: string): Promise<boolean> {
    const group = this.group(session);
    return (await this.once.take(group, this.key(group, use, subject))).value !== null;
  }

  /** One group per session, hash-tagged so its claims and index share a Cluster slot. */
  private group(session: SessionHandle): string {
    return `captcha:{${this.names.pseudonym(session.id)}}`;
  }

  private key(group: string, use: CaptchaUse, subject: string): string {
    return `${group}:${this.names.pseudonym(`${use}|${subject}`)}`;
  }
}
