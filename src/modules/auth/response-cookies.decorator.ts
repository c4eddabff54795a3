import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { readCookie } from '../../common/http/http-facts';

/** Reading and writing the cookies of the current exchange, without Express in the handler. */
export interface Cookies {
  get(name: string): string | undefined;
  set(name: string, value: string, options: CookieOptions): void;
  clear(name: string, options: CookieOptions): void;
}

/**
 * Injects {@link Cookies} for the request (Express stays in decorator files: CONTRIBUTING.md
 * section 5).
 */
export const ResponseCookies = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Cookies => {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    return {
      get: (name) => readCookie(req.headers.cookie, name),
      set: (name, value, options) => res.cookie(name, value, options),
      clear: (name, options) => res.clearCookie(name, options),
    };
  },
);
