import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { NextFunction, Request, Response } from 'express';
import { appConfig } from '../../config/app.config';
import { AuditLog } from '../audit/audit-log';
import { AppError } from '../errors/app-error';
import { SessionCookieReader } from '../session/session-cookie';
import { csrfViolation } from './csrf';

/** Rejects unsafe requests without `X-CSRF: 1` or from another site, before any body is read. */
@Injectable()
export class CsrfMiddleware implements NestMiddleware {
  constructor(
    @Inject(appConfig.KEY) private readonly cfg: ConfigType<typeof appConfig>,
    private readonly audit: AuditLog,
    private readonly cookies: SessionCookieReader,
  ) {}

  use(req: Request, _res: Response, next: NextFunction): void {
    const reason = csrfViolation(req.method, req.headers, this.cfg.publicOrigin);
    if (reason) {
      // The session (if the cookie is genuine) by its keyed hash, so a forged request can be
      // tied to the session it rode on without the id itself in the log (docs/security.md 15, 47).
      const sid = this.cookies.sessionId(req.headers.cookie);
      this.audit.record(
        'csrf_rejected',
        // originalUrl: under a middleware mount req.path is relative to it ('/').
        { reason, method: req.method, path: req.originalUrl.split('?')[0] },
        sid ?? undefined,
        { client: req.ip },
      );
      throw new AppError('CSRF_REJECTED');
    }
    next();
  }
}
