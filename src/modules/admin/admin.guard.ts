import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError, storeUnavailable } from '../../common/errors/app-error';
import { RATE_LIMITER, RateLimiter } from '../../common/rate-limit/rate-limiter';
import { RateLimitService } from '../../common/rate-limit/rate-limit.service';
import { loggedPath } from '../../common/logging/logged-path';
import { clientIpOf } from '../../common/http/request-context';
import { upstreamsConfig } from '../../config/upstreams.config';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Wrong admin tokens one address may send per window before it is refused outright. */
export const ADMIN_FAILURES_PER_ADDRESS = 10;
const WINDOW_MS = 60_000;

/**
 * `/admin` answers only to `Authorization: Bearer <ADMIN_TOKEN>` (docs/api.md section 7), compared
 * in constant time; without ADMIN_TOKEN the admin API does not exist (404). Every refused token
 * is an `admin_auth_failed` audit line (never the token); an address that sent too many wrong
 * ones in a minute gets 429 for the rest of it, whatever it sends, so guessing gains nothing.
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(
    @Inject(upstreamsConfig.KEY) cfg: ConfigType<typeof upstreamsConfig>,
    @Inject(RATE_LIMITER) private readonly counters: RateLimiter,
    private readonly rateLimits: RateLimitService,
    private readonly audit: AuditLog,
  ) {
    this.expected = cfg.adminToken ? digest(cfg.adminToken) : undefined;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.expected) throw new AppError('NOT_FOUND');
    const req = context.switchToHttp().getRequest<Request>();
    const client = this.rateLimits.pseudonym(clientIpOf(req));
    const key = `admin_failures:${client}`;
    const limited = this.rateLimits.enabled;
    // Reserved before the comparison, so parallel guesses cannot overshoot; a success gives it back.
    const counted = limited ? await this.consume(key) : undefined;
    const event = { method: req.method, path: loggedPath(req.originalUrl), client };
    if (counted && !counted.allowed) {
      await this.counters.refund(key).catch(() => undefined);
      this.audit.record('admin_auth_failed', { ...event, reason: 'rate_limited' });
      throw new AppError('RATE_LIMITED', undefined, { retryAfterS: counted.retryAfterS });
    }
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1]), this.expected)) {
      this.audit.record('admin_auth_failed', {
        ...event,
        reason: match ? 'wrong_token' : 'missing_token',
      });
      throw new AppError('UNAUTHENTICATED');
    }
    if (limited) await this.counters.refund(key).catch(() => undefined);
    return true;
  }

  private async consume(key: string) {
    try {
      return await this.counters.consume(key, ADMIN_FAILURES_PER_ADDRESS, WINDOW_MS);
    } catch (cause) {
      throw storeUnavailable(cause);
    }
  }
}
