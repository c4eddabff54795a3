import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Metrics } from './metrics';

/** `GET /metrics` in Prometheus text format (docs/api.md section 7). */
@ApiTags('operations')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format 0.0.4)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    schema: { type: 'string', example: 'bff_logins_total{method="password",outcome="success"} 1' },
  })
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}
