import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { sessionConfig } from '../../config/session.config';
import { AppError } from '../errors/app-error';
import { hasBody } from '../http/http-facts';

/**
 * JSON-only bodies under /auth (bff-api.md section 1): any body that is not application/json
 * is 415 (which also shuts out the "simple" content types of form-based CSRF), an oversized
 * one 413, malformed JSON 400. Body-less POST and DELETE need no Content-Type.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse: RequestHandler;

  constructor(@Inject(sessionConfig.KEY) cfg: ConfigType<typeof sessionConfig>) {
    this.parse = express.json({ limit: cfg.authBodyLimit, type: () => true, strict: true });
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (hasBody(req)) {
      if (!req.is('application/json')) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
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
