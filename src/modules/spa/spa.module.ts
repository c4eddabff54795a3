import { Inject, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { spaConfig } from '../../config/spa.config';
import { SpaMiddleware } from './spa.middleware';

/**
 * The team's own SPA (SPA_DIR) under BASE_PATH, in place of the demo page. Mounted only when
 * SPA_DIR is set; it sits behind the relay and the session view (bootstrap.ts), so the hot
 * paths never pass through it.
 */
@Module({ providers: [SpaMiddleware] })
export class SpaModule implements NestModule {
  constructor(@Inject(spaConfig.KEY) private readonly cfg: ConfigType<typeof spaConfig>) {}

  configure(consumer: MiddlewareConsumer): void {
    if (this.cfg.root) consumer.apply(SpaMiddleware).forRoutes('{*path}');
  }
}
