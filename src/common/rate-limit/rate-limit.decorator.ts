import { applyDecorators, SetMetadata, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitInterceptor } from './rate-limit.interceptor';
import { RATE_LIMIT_POLICY, RateLimitPolicy } from './rate-limit.policies';

/**
 * Puts a handler under a rate-limit policy (rate-limit.policies.ts): checked before it runs,
 * settled after. The host module must import RateLimitModule. Documents the 429 in OpenAPI.
 */
export const RateLimit = (policy: RateLimitPolicy) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_POLICY, policy),
    UseGuards(RateLimitGuard),
    UseInterceptors(RateLimitInterceptor),
    ApiErrors('RATE_LIMITED'),
  );
