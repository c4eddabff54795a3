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
import { AuditLog } from '../../common/audit/audit-log';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { AppError } from '../../common/errors/app-error';
import { SESSION_COOKIE_SCHEME } from '../../common/security/api-security.decorator';
import type { PendingStatus } from '../../common/session/session.types';
import { CredentialService } from '../tokens/credential.service';
import { SessionHandle } from './session-handle';
import { livePending } from './session-view';

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
 * Runs before every /auth handler: loads the credential of a signed-in session, ends sessions
 * whose idle or absolute timeout passed or whose credential is gone (refresh refused, revoked),
 * drops expired pending steps, enforces the handler's requirement, and records activity (except
 * for `GET /auth/session?slide=false`, which polls without extending the idle timer).
 */
@Injectable()
export class AuthStateGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: CredentialService,
    private readonly audit: AuditLog,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const need =
      this.reflector.get<Requirement | undefined>(REQUIREMENT, context.getHandler()) ?? {};
    const session = new SessionHandle(req);
    const now = Date.now();

    if (session.data.signed_in) {
      const stored = await this.credentials.get(session.id);
      if (!stored || this.credentials.hasTimedOut(stored.credential, now)) {
        if (stored) {
          await this.credentials.delete(session.id);
          this.audit.record('session_expired', {}, session.id, {
            user: stored.credential.user.id,
            client: session.facts().ip,
          });
        }
        await session.destroy();
        if (need.login) throw new AppError('SESSION_EXPIRED');
        return true;
      }
      session.credential = stored;
    }
    if (session.data.pending && !livePending(session.data, now)) delete session.data.pending;

    if (need.login && !session.credential) throw new AppError('UNAUTHENTICATED');
    if (need.steps) {
      const pending = livePending(session.data, now);
      if (!pending || !need.steps.includes(pending.status)) throw new AppError('NO_PENDING_STEP');
    }
    const polling = req.method === 'GET' && req.query.slide === 'false';
    if (session.credential && !polling) {
      session.credential = await this.credentials.recordActivity(
        session.id,
        session.credential,
        now,
      );
    }
    return true;
  }
}
