import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions, ApiSchema } from '@nestjs/swagger';
import { HealthCheckResult, HealthIndicatorResult } from '@nestjs/terminus';

// OpenAPI schemas of the probes' answers (docs/api.md section 7).

@ApiSchema({ name: 'Liveness' })
export class LivenessSchema {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

const INDICATORS: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
  example: { session_store: { status: 'up', store: 'redis' }, oneaccess: { status: 'up' } },
};

/** Terminus's HealthCheckResult, as GET /readyz answers it when ready. */
@ApiSchema({ name: 'Readiness' })
export class ReadinessSchema implements HealthCheckResult {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status!: HealthCheckResult['status'];
  @ApiPropertyOptional(INDICATORS) info?: HealthIndicatorResult;
  @ApiPropertyOptional(INDICATORS) error?: HealthIndicatorResult;
  @ApiProperty(INDICATORS) details!: HealthIndicatorResult;
}
