import { Global, Module } from '@nestjs/common';
import { COMMON_METRICS } from '../../common/metrics/common-metrics';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

/**
 * Global like the Redis client: every feature counts into the same registry. The same instance
 * is provided as COMMON_METRICS for src/common, which may not import this module.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [Metrics, { provide: COMMON_METRICS, useExisting: Metrics }],
  exports: [Metrics, COMMON_METRICS],
})
export class MetricsModule {}
