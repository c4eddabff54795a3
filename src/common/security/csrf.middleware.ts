import { Inject, Injectable, Logger, NestMiddleware } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { NextFunction, Request, Response } from 'express';
import { appConfig } from '../../config/app.config';
import { AppError } from '../errors/app-error';
import { csrfViolation } from './csrf';

/** Rejects unsafe requests without `X-CSRF: 1` or from another site, before any body is read. */
@Injectable()
export class CsrfMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Csrf');

  constructor(@Inject(appConfig.KEY) private readonly cfg: ConfigType<typeof appConfig>) {}

  use(req: Request, _res: Response, next: NextFunction): void {
    const reason = csrfViolation(req.method, req.headers, this.cfg.publicOrigin);
    if (reason) {
      this.logger.warn({ event: 'csrf_rejected', reason, method: req.method, path: req.path });
      throw new AppError('CSRF_REJECTED');
    }
    next();
  }
}
