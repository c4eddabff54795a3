import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';
import { upstreamsConfig } from '../../config/upstreams.config';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * `/admin` answers only to `Authorization: Bearer <ADMIN_TOKEN>` (bff-api.md section 7), compared
 * in constant time; without ADMIN_TOKEN the admin API does not exist (404).
 */
@Injectable()
export class AdminGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(upstreamsConfig.KEY) cfg: ConfigType<typeof upstreamsConfig>) {
    this.expected = cfg.adminToken ? digest(cfg.adminToken) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) throw new AppError('NOT_FOUND');
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]), this.expected))
      throw new AppError('UNAUTHENTICATED');
    return true;
  }
}
