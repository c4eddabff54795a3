import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadAppConfig } from './config/app.config';
import { assertValidEnvironment } from './config/config';

/**
 * Strips BASE_PATH so the gateway answers both under the prefix the corporate proxy mounts it at
 * and without it (probes hit the pod directly).
 */
function stripBasePath(basePath: string) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (
      req.url === basePath ||
      req.url.startsWith(`${basePath}/`) ||
      req.url.startsWith(`${basePath}?`)
    ) {
      req.url = req.url.slice(basePath.length) || '/';
    }
    next();
  };
}

/**
 * Creates the gateway application exactly as production runs it. main.ts and the end-to-end
 * tests both call this, so tests exercise the same pipeline (style R4): Nest's own body parser is
 * off (JSON is parsed only under /auth, with its limit), trust proxy comes from TRUST_PROXY.
 * @throws ConfigError naming every invalid variable.
 */
export async function createApp(): Promise<INestApplication> {
  assertValidEnvironment();
  const cfg = loadAppConfig(process.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', cfg.trustProxy);
  app.disable('x-powered-by');
  if (cfg.basePath) app.use(stripBasePath(cfg.basePath));
  app.enableShutdownHooks();
  return app;
}
