import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { docsCsp } from './docs.csp';

/**
 * The headers of the docs routes, mounted ahead of Nest's middleware (see setupDocs). The
 * request's context has set the gateway's hardening headers already (bootstrap.ts); this sets the
 * docs' own policy over them: an HTML
 * page gets the hashes of its inline styles (read from the page as it is sent), everything else
 * the same policy without them. Nothing else in the gateway gets this policy.
 */
export function docsHeaders(cacheControl: 'no-store' | 'no-cache'): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', docsCsp());
    res.setHeader('Cache-Control', cacheControl);
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (typeof body === 'string' && /^text\/html/.test(res.get('Content-Type') ?? '')) {
        res.setHeader('Content-Security-Policy', docsCsp(body));
      }
      return send(body);
    };
    next();
  };
}
