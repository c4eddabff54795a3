import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Metrics } from './metrics';

/**
 * Counts every /auth request by route template and status when its answer is finished, whichever
 * layer answered (controller, guard, CSRF check, rate limit, error filter). The route is Express's
 * template (`/auth/login/social/:provider`), never the raw path, so the labels stay bounded.
 */
@Injectable()
export class AuthMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: Metrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    res.once('finish', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      const template = typeof route === 'string' && !route.includes('{*') ? route : 'unmatched';
      this.metrics.authRequests.get(template, String(res.statusCode)).inc();
    });
    next();
  }
}
