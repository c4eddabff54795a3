import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { SessionHandle } from './session-handle';

/** Injects the request's SessionHandle into a handler, so handlers never touch `req`. */
export const CurrentSession = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): SessionHandle =>
    new SessionHandle(ctx.switchToHttp().getRequest<Request>()),
);
