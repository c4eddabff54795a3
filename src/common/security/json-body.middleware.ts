import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { sessionConfig } from '../../config/session.config';
import { AppError } from '../errors/app-error';
import { hasBody } from '../http/http-facts';
import { jsonDepthExceeds } from './json-depth';

/**
 * Deepest nesting of objects and arrays a body may have. The contract's bodies are flat (a
 * profile `extension` adds a level or two); the bound keeps JSON.parse and validation, both
 * recursive, far from the stack's end.
 */
export const MAX_JSON_DEPTH = 32;

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

/** UTF-8 only: another charset (UTF-7 above all) could smuggle what validation never saw. */
function utf8OrNone(contentType: string | undefined): boolean {
  const charset = CHARSET.exec(contentType ?? '')?.[1]?.toLowerCase();
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

/**
 * JSON-only bodies under /auth (docs/api.md section 1): any body that is not application/json
 * in UTF-8 without Content-Encoding is 415 (which also shuts out the "simple" content types of
 * form-based CSRF), an oversized one 413, malformed or too deeply nested JSON 400. Body-less
 * POST and DELETE need no Content-Type.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse: RequestHandler;

  constructor(@Inject(sessionConfig.KEY) cfg: ConfigType<typeof sessionConfig>) {
    this.parse = express.json({
      limit: cfg.authBodyLimit,
      type: () => true,
      strict: true,
      inflate: false,
      // Runs on the raw bytes before JSON.parse; body-parser keeps an error's own status.
      verify: (_req, _res, body) => {
        if (jsonDepthExceeds(body, MAX_JSON_DEPTH))
          throw new AppError('VALIDATION_FAILED', 'BODY_TOO_DEEP');
      },
    });
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (hasBody(req)) {
      if (!req.is('application/json') || !utf8OrNone(req.headers['content-type']))
        throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const encoding = req.headers['content-encoding'];
      if (encoding !== undefined && encoding.toLowerCase() !== 'identity')
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'BODY_COMPRESSED');
      // body-parser errors carry `type`; the one error mapping turns them into 400/413/415.
      await new Promise<void>((resolve, reject) =>
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- body-parser's own errors, mapped by toErrorResponse
        this.parse(req, res, (err?: unknown) => (err ? reject(err) : resolve())),
      );
    }
    // Handlers always see an object, so validation reports missing fields rather than crashing.
    req.body ??= {};
    next();
  }
}
