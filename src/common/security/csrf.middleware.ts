import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AuditLog } from '../audit/audit-log';
import { recordCsrfRejected } from '../audit/request-audit';
import { AppError } from '../errors/app-error';
import { contextOf } from '../http/request-context';
import { SessionCookieReader } from '../session/session-cookie';

/**
 * Rejects unsafe requests without `X-CSRF: 1` or from another site, before any body is read: the
 * verdict is the request context's (`RequestContext.csrfViolation`), the one the relay and the
 * front door read too (CONTRIBUTING.md section 11).
 */
@Injectable()
export class CsrfMiddleware implements NestMiddleware {
  constructor(
    private readonly audit: AuditLog,
    private readonly cookies: SessionCookieReader,
  ) {}

  use(req: Request, _res: Response, next: NextFunction): void {
    const ctx = contextOf(req);
    // Every request a listener received has a context (bootstrap.ts); one without was made up
    // outside any server, and is refused rather than let through unjudged.
    if (!ctx) throw new AppError('CSRF_REJECTED');
    if (ctx.csrfViolation) {
      // The session (if the cookie is genuine) by its keyed hash, so a forged request can be
      // tied to the session it rode on without the id itself in the log (docs/security.md 15, 47).
      recordCsrfRejected(this.audit, ctx, this.cookies.sessionId(req));
      throw new AppError('CSRF_REJECTED');
    }
    next();
  }
}
