import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { REDIS, RedisClient } from '../../common/redis/redis.module';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: RedisClient | null,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const probe = this.indicator.check(key);
    if (!this.redis) return probe.up({ store: 'memory' });
    try {
      await this.redis.ping();
      return probe.up({ store: 'redis' });
    } catch (err) {
      return probe.down({ store: 'redis', message: (err as Error).message });
    }
  }
}
