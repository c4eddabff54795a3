import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { UpstreamHttpModule } from './common/http/upstream-http.module';
import { appLoggerModule } from './common/logging/app-logger.module';
import { createValidationPipe } from './common/pipes/validation.pipe';
import { RedisModule } from './common/redis/redis.module';
import { allConfigs } from './config/config';
import { AdminModule } from './modules/admin/admin.module';
import { AuthModule } from './modules/auth/auth.module';
import { DemoModule } from './modules/demo/demo.module';
import { HealthModule } from './modules/health/health.module';
import { AuthMetricsMiddleware } from './modules/metrics/auth-metrics.middleware';
import { MetricsModule } from './modules/metrics/metrics.module';
import { OpsServer } from './modules/ops/ops-server';
import { RelayModule } from './modules/relay/relay.module';
import { SpaModule } from './modules/spa/spa.module';

@Module({
  imports: [
    // Config factories validate process.env when the app is created (not at import), so tests
    // can set the environment per app.
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: allConfigs }),
    appLoggerModule(),
    RedisModule,
    UpstreamHttpModule,
    HealthModule,
    MetricsModule,
    AuthModule,
    RelayModule,
    AdminModule,
    DemoModule,
    SpaModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    OpsServer,
  ],
})
// The security headers go on in the front door (common/http/front-door.ts), ahead of Express, so
// that even answers Express's router gives on its own carry them.
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuthMetricsMiddleware).forRoutes('auth/{*path}');
  }
}
