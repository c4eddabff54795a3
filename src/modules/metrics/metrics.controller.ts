import { Controller, Get, Header } from '@nestjs/common';
import { Metrics } from './metrics';

/** `GET /metrics` in Prometheus text format (bff-api.md section 7). */
@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
