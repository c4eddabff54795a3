import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Response } from 'express';
import { Observable, tap } from 'rxjs';
import { sessionConfig } from '../../config/session.config';

/**
 * Adds `Clear-Site-Data: "cookies"` to a successful logout when LOGOUT_CLEAR_SITE_DATA is on.
 * The header clears every cookie of the site (all paths, other apps on the host included),
 * hence the switch; the session cookie itself is always expired by the logout.
 */
@Injectable()
export class ClearSiteDataInterceptor implements NestInterceptor {
  constructor(@Inject(sessionConfig.KEY) private readonly cfg: ConfigType<typeof sessionConfig>) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.cfg.logoutClearSiteData) return next.handle();
    // After the handler: a failed logout (store down) must not wipe the browser's cookies.
    return next
      .handle()
      .pipe(
        tap(() =>
          context.switchToHttp().getResponse<Response>().setHeader('Clear-Site-Data', '"cookies"'),
        ),
      );
  }
}
