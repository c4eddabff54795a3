import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { AppError } from '../../common/errors/app-error';
import { OneAccessHealthIndicator } from './oneaccess.health';
import { LivenessSchema, ReadinessSchema } from './health.schemas';
import { RedisHealthIndicator } from './redis.health';

/** Probes for the orchestrator (docs/api.md section 7). */
@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
    private readonly oneAccess: OneAccessHealthIndicator,
  ) {}

  /** Liveness: the process answers. No I/O, so a Redis or OneAccess outage never restarts pods. */
  @Get('healthz')
  @ApiOperation({ summary: 'Liveness (no I/O)' })
  @ApiOkResponse({ type: LivenessSchema, description: 'Alive.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: the session store and OneAccess are reachable. Otherwise 503 with the contract's
   * error code naming what is down.
   * @throws AppError SESSION_STORE_UNAVAILABLE, UPSTREAM_UNAVAILABLE
   */
  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: the session store and OneAccess are reachable' })
  @ApiOkResponse({ type: ReadinessSchema, description: 'Ready.' })
  @ApiErrors('SESSION_STORE_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE', 'INTERNAL')
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.redis.check('session_store'),
        () => this.oneAccess.check('oneaccess'),
      ]);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      const down = Object.keys((err.getResponse() as HealthCheckResult).error ?? {});
      const code = down.includes('session_store')
        ? 'SESSION_STORE_UNAVAILABLE'
        : 'UPSTREAM_UNAVAILABLE';
      throw new AppError(code, 'NOT_READY', { params: { down: down.join(', ') } });
    }
  }
}
