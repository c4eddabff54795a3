import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { RATE_LIMIT_POLICY, RateLimitPolicy } from './rate-limit.policies';
import { RateLimitService } from './rate-limit.service';

/**
 * Checks the counters of the handler's `@RateLimit()` policy. Runs after the /auth middleware, so
 * the JSON body and the session are there; does nothing when `RATE_LIMITS=off`.
 * @throws AppError RATE_LIMITED, SESSION_STORE_UNAVAILABLE
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly rateLimits: RateLimitService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.get<RateLimitPolicy | undefined>(
      RATE_LIMIT_POLICY,
      context.getHandler(),
    );
    if (!policy || !this.rateLimits.enabled) return true;
    await this.rateLimits.check(policy, context.switchToHttp().getRequest<Request>());
    return true;
  }
}
