import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { NextFunction, Request, Response } from 'express';
import { spaConfig } from '../../config/spa.config';
import { openPrecompressed, openSpaFile, sendSpaFile } from './spa-files';
import { spaTarget } from './spa-path';

/**
 * Serves the team's SPA from SPA_DIR for GET and HEAD (docs/api.md section 7): a path naming a
 * file gets it (its `.br` or `.gz` sibling when the browser accepts that encoding); a path without an extension that names none (a client-side route, the OAuth
 * error landing `/?auth_error=`) gets index.html; anything else, and every refused spelling,
 * goes on to the gateway's router and so gets the contract's JSON 404. The front door already
 * put the security headers on; this replaces only the policy (pages need scripts) and caching.
 */
@Injectable()
export class SpaMiddleware implements NestMiddleware {
  private readonly root: string;
  private readonly csp: string;

  constructor(@Inject(spaConfig.KEY) cfg: ConfigType<typeof spaConfig>) {
    this.root = cfg.root ?? '';
    this.csp = cfg.csp;
  }

  use(req: Request, res: Response, next: NextFunction): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // Not req.path: under a Nest middleware mount it is relative to the mount point ('/').
    const target = spaTarget(req.originalUrl.split('?')[0]);
    if (target.kind !== 'file') return next();
    this.serve(req, res, target.rel, target.hasExtension).then(
      (served) => {
        if (!served) next();
      },
      (err: unknown) => next(err),
    );
  }

  /** False when nothing is served (the router's 404 follows). */
  private async serve(
    req: Request,
    res: Response,
    rel: string,
    hasExtension: boolean,
  ): Promise<boolean> {
    let file = rel === '' ? undefined : await openSpaFile(this.root, rel);
    // A missing file with an extension is a broken link, not a route: 404, not the page.
    if (!file && hasExtension) return false;
    file ??= await openSpaFile(this.root, 'index.html');
    if (!file) return false;
    file = (await openPrecompressed(this.root, file, req.headers['accept-encoding'])) ?? file;
    res.setHeader('Content-Security-Policy', this.csp);
    sendSpaFile(req, res, file);
    return true;
  }
}
