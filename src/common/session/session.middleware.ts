import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session, { Store } from 'express-session';
import { sessionConfig } from '../../config/session.config';
import { storeUnavailable } from '../errors/app-error';
import { toErrorResponse, writeErrorResponse } from '../errors/error-response';
import { SessionCookieReader, sessionCookieOptions } from './session-cookie';
import { SESSION_STORE } from './session-store.provider';
import type { SessionCookie } from './session.types';
import { requestIdOf } from '../logging/logger.options';

/**
 * express-session with the contract's cookie (docs/api.md section 2), wrapped so that a store
 * failure becomes 503 SESSION_STORE_UNAVAILABLE through the one error mapping, and never an
 * HTML error page or a logout: nothing is deleted because the store was unreachable.
 */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  private readonly handler: RequestHandler;
  private readonly cookie: SessionCookie;

  constructor(
    @Inject(SESSION_STORE) store: Store,
    @Inject(sessionConfig.KEY) private readonly cfg: ConfigType<typeof sessionConfig>,
    private readonly cookies: SessionCookieReader,
  ) {
    const options = sessionCookieOptions(cfg);
    this.cookie = { name: cfg.cookieName, options };
    this.handler = session({
      store,
      name: cfg.cookieName,
      secret: cfg.secrets,
      resave: false,
      saveUninitialized: false,
      // Not unset:'destroy': with it, a request whose session failed to load (store down)
      // ends by deleting that session. Sessions are ended only by an explicit destroy().
      cookie: options,
    });
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    res.locals.sessionCookie = this.cookie;
    if (this.cfg.cookieSecure && !req.secure) {
      // The scheme that matters is the browser's (PUBLIC_ORIGIN), not this hop's: TLS usually
      // ends at the corporate proxy, and express-session silently drops a Secure cookie on a
      // plain-http hop. Browsers also accept Secure cookies from http://localhost.
      Object.defineProperty(req, 'secure', { value: true, configurable: true });
    }
    // express-session verifies the cookie itself and quietly starts afresh on a forged one: read
    // through the reader first, so a forged cookie is counted and audited here as on every other
    // path (docs/security.md 10). A genuine cookie costs a lookup of the verified ones.
    this.cookies.sessionId(req);
    let settled = false;
    await new Promise<void>((resolve, reject) => {
      this.runSession(req, res, (err?: unknown) => {
        if (!settled) {
          settled = true;
          return err ? reject(storeUnavailable(err)) : resolve();
        }
        // express-session reports a failed save or touch at the end of the response by
        // calling next again instead of ending it: answer here so the client is not left hanging.
        if (err) {
          const language = req.headers['accept-language'];
          writeErrorResponse(
            res,
            toErrorResponse(storeUnavailable(err), requestIdOf(req), language),
          );
        }
      });
    });
    next();
  }

  /**
   * express-session skips any request whose path is not under the cookie's Path. BASE_PATH is
   * stripped before Express (bootstrap.ts), so with COOKIE_PATH=/portal a request that came in
   * as /portal/auth/... is seen as /auth/... here. Every request the gateway serves is under
   * its mount point, which COOKIE_PATH covers (session.config), so express-session is shown
   * the cookie path for that check only; it reads originalUrl nowhere else, synchronously.
   */
  private runSession(req: Request, res: Response, done: (err?: unknown) => void): void {
    if (this.cookie.options.path === '/') {
      this.handler(req, res, done);
      return;
    }
    const originalUrl = req.originalUrl;
    req.originalUrl = this.cookie.options.path;
    try {
      this.handler(req, res, done);
    } finally {
      req.originalUrl = originalUrl;
    }
  }
}
