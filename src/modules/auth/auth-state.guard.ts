import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../../common/errors/app-error';
import type { PendingStatus } from '../../common/session/session.types';
import { sessionConfig } from '../../config/session.config';
import { hasTimedOut, isSignedIn, shouldRecordActivity } from './session-lifetime';
import { livePending } from './session-view';
import { SessionHandle } from './session-handle';

interface Requirement {
  login?: boolean;
  steps?: PendingStatus[];
}

const REQUIREMENT = 'auth:requirement';

/** The handler needs a signed-in session: 401 UNAUTHENTICATED (or SESSION_EXPIRED) otherwise. */
export const RequiresLogin = () => SetMetadata(REQUIREMENT, { login: true } satisfies Requirement);

/** The handler continues one of these OneAccess steps: 409 NO_PENDING_STEP otherwise. */
export const RequiresStep = (...steps: PendingStatus[]) =>
  SetMetadata(REQUIREMENT, { steps } satisfies Requirement);

/**
 * Runs before every /auth handler: ends sessions whose idle or absolute timeout passed, drops
 * expired pending steps, enforces the handler's requirement, and records activity (except for
 * `GET /auth/session?slide=false`, which polls without extending the idle timer).
 */
@Injectable()
export class AuthStateGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(sessionConfig.KEY) private readonly cfg: ConfigType<typeof sessionConfig>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const need =
      this.reflector.get<Requirement | undefined>(REQUIREMENT, context.getHandler()) ?? {};
    const session = new SessionHandle(req);
    const now = Date.now();

    if (hasTimedOut(session.data, this.cfg, now)) {
      await session.destroy();
      if (need.login) throw new AppError('SESSION_EXPIRED');
      return true;
    }
    if (session.data.pending && !livePending(session.data, now)) delete session.data.pending;

    if (need.login && !isSignedIn(session.data)) throw new AppError('UNAUTHENTICATED');
    if (need.steps) {
      const pending = livePending(session.data, now);
      if (!pending || !need.steps.includes(pending.status)) throw new AppError('NO_PENDING_STEP');
    }
    const polling = req.method === 'GET' && req.query.slide === 'false';
    if (!polling && shouldRecordActivity(session.data, this.cfg, now))
      session.data.last_seen_at = now;
    return true;
  }
}
