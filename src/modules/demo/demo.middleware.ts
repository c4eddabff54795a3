import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DemoAssets } from './demo-assets.service';

/**
 * The demo page's own policy: its script, styles and images (the captcha arrives as data: PNGs)
 * from this origin only, fetches to this origin only, no inline code. Every other response keeps
 * the gateway's `default-src 'none'` (the front door).
 */
export const DEMO_CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the demo SPA's files for GET and HEAD; passes every other request on. The demo files may
 * be cached but are revalidated (ETag), so a new build shows at the next load. The request's
 * context has set the gateway's hardening headers already (bootstrap.ts); this replaces the policy
 * and the caching rule for these files only.
 */
@Injectable()
export class DemoMiddleware implements NestMiddleware {
  constructor(private readonly assets: DemoAssets) {}

  use(req: Request, res: Response, next: NextFunction): void {
    // Not req.path: under a Nest middleware mount it is relative to the mount point ('/').
    const path = req.originalUrl.split('?')[0];
    const asset =
      req.method === 'GET' || req.method === 'HEAD' ? this.assets.find(path) : undefined;
    if (!asset) return next();
    res.setHeader('Content-Security-Policy', DEMO_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('ETag', asset.etag);
    if (req.headers['if-none-match'] === asset.etag) {
      res.status(304).end();
      return;
    }
    res.status(200);
    res.setHeader('Content-Type', asset.contentType);
    res.setHeader('Content-Length', asset.body.length);
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }
}
