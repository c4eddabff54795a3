import { Logger, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ConfigType } from '@nestjs/config';
import { redisConfig } from '../../config/redis.config';
import { upstreamsConfig } from '../../config/upstreams.config';
import { REDIS, RedisClient } from '../redis/redis.module';
import { MemoryRateLimiter, RATE_LIMITER, RedisRateLimiter } from './rate-limiter';
import { RateLimitService } from './rate-limit.service';

/**
 * The rate limits (issue 6): Redis counters under `<REDIS_KEY_PREFIX>rl:`, or, in development
 * without Redis, counters in this process. Modules whose handlers use `@RateLimit()` import it.
 */
@Module({
  imports: [AuditModule],
  providers: [
    {
      provide: RATE_LIMITER,
      inject: [REDIS, redisConfig.KEY, upstreamsConfig.KEY],
      useFactory: (
        redis: RedisClient | null,
        cfg: ConfigType<typeof redisConfig>,
        upstreams: ConfigType<typeof upstreamsConfig>,
      ) => {
        if (redis) return new RedisRateLimiter(redis, `${cfg.keyPrefix}rl:`);
        if (upstreams.rateLimits)
          new Logger('RateLimit').warn(
            'REDIS_URL is not set: rate limits are counted in this process only (development only).',
          );
        return new MemoryRateLimiter();
      },
    },
    RateLimitService,
  ],
  exports: [RateLimitService, RATE_LIMITER],
})
export class RateLimitModule {}
