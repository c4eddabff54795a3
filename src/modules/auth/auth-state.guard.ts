import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiCookieAuth } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { AppError } from '../../common/errors/app-error';
import { SESSION_COOKIE_SCHEME } from '../../common/security/api-security.decorator';
import type { PendingStatus } from '../../common/session/session.types';
import { CredentialService } from '../tokens/credential.service';
import { SessionHandle } from './session-handle';
import { livePending, slidesIdleTimer } from './session-view';

interface Requirement {
  login?: boolean;
  steps?: PendingStatus[];
}

const REQUIREMENT = 'auth:requirement';

/**
 * The handler needs a signed-in session: 401 UNAUTHENTICATED (or SESSION_EXPIRED) otherwise.
 * Also documents both in the OpenAPI operation, with the cookie as its security requirement.
 */
export const RequiresLogin = () =>
  applyDecorators(
    SetMetadata(REQUIREMENT, { login: true } satisfies Requirement),
    ApiCookieAuth(SESSION_COOKIE_SCHEME),
    ApiErrors('UNAUTHENTICATED', 'SESSION_EXPIRED'),
  );

/** The handler continues one of these OneAccess steps: 409 NO_PENDING_STEP otherwise (documented). */
export const RequiresStep = (...steps: PendingStatus[]) =>
  applyDecorators(
    SetMetadata(REQUIREMENT, { steps } satisfies Requirement),
    ApiCookieAuth(SESSION_COOKIE_SCHEME),
    ApiErrors('NO_PENDING_STEP'),
  );

/**
 * Runs before every /auth handler: loads the credential of a signed-in session through
 * `CredentialService.aliveOrEnd` (which ends a timed-out session and records activity, except for
 * `GET /auth/session?slide=false`), drops the cookie session of one whose credential is gone
 * (timed out, refresh refused, revoked), drops expired pending steps, and enforces the handler's
 * requirement.
 */
@Injectable()
export class AuthStateGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const need =
      this.reflector.get<Requirement | undefined>(REQUIREMENT, context.getHandler()) ?? {};
    const session = new SessionHandle(req);
    const now = Date.now();

    if (session.data.signed_in) {
      const stored = await this.credentials.get(session.id);
      const alive =
        stored &&
        (await this.credentials.aliveOrEnd(
          session.id,
          stored,
          now,
          slidesIdleTimer(req.method, req.query.slide),
          { client: session.facts().ip },
        ));
      if (!alive) {
        await session.destroy();
        if (need.login) throw new AppError('SESSION_EXPIRED');
        return true;
      }
      session.credential = alive;
    }
    if (session.data.pending && !livePending(session.data, now)) delete session.data.pending;

    if (need.login && !session.credential) throw new AppError('UNAUTHENTICATED');
    if (need.steps) {
      const pending = livePending(session.data, now);
      if (!pending || !need.steps.includes(pending.status)) throw new AppError('NO_PENDING_STEP');
    }
    return true;
  }
}
