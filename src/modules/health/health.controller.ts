import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { OneAccessHealthIndicator } from './oneaccess.health';
import { RedisHealthIndicator } from './redis.health';

/** Probes for the orchestrator (bff-api.md section 7). */
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
    private readonly oneAccess: OneAccessHealthIndicator,
  ) {}

  /** Liveness: the process answers. No I/O, so a Redis or OneAccess outage never restarts pods. */
  @Get('healthz')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the session store and OneAccess are reachable; 503 otherwise. */
  @Get('readyz')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.redis.check('session_store'), () => this.oneAccess.check('oneaccess')]);
  }
}
