import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';

/** Reading and writing the cookies of the current exchange, without Express in the handler. */
export interface Cookies {
  get(name: string): string | undefined;
  set(name: string, value: string, options: CookieOptions): void;
  clear(name: string, options: CookieOptions): void;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Injects {@link Cookies} for the request (style R9: Express stays in decorator files). */
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
