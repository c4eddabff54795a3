import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { UpstreamHttpModule } from './common/http/upstream-http.module';
import { loggerOptions } from './common/logging/logger.options';
import { createValidationPipe } from './common/pipes/validation.pipe';
import { RedisModule } from './common/redis/redis.module';
import { SecurityHeadersMiddleware } from './common/security/security-headers.middleware';
import { appConfig } from './config/app.config';
import { allConfigs } from './config/config';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';

@Module({
  imports: [
    // Config factories validate process.env when the app is created (not at import), so tests
    // can set the environment per app.
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: allConfigs }),
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (cfg: ConfigType<typeof appConfig>) => loggerOptions(cfg),
    }),
    RedisModule,
    UpstreamHttpModule,
    HealthModule,
    AuthModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(SecurityHeadersMiddleware).forRoutes('{*path}');
  }
}
