import { Inject, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { demoConfig } from '../../config/demo.config';
import { OneAccessModule } from '../oneaccess/oneaccess.module';
import { DemoAssets } from './demo-assets.service';
import { DemoFeed } from './demo-feed';
import { DemoMiddleware } from './demo.middleware';

/**
 * The demo SPA at `/` (issue 7), built from `demo/` into `dist/demo`. It talks to the gateway
 * only through the public contract. Mounted only when DEMO_ENABLED (default: not in production);
 * otherwise `/` is an ordinary 404.
 */
@Module({
  imports: [OneAccessModule],
  providers: [DemoAssets, DemoMiddleware, DemoFeed],
})
export class DemoModule implements NestModule {
  constructor(@Inject(demoConfig.KEY) private readonly cfg: ConfigType<typeof demoConfig>) {}

  configure(consumer: MiddlewareConsumer): void {
    if (this.cfg.enabled) consumer.apply(DemoMiddleware).forRoutes('{*path}');
  }
}
