import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { CsrfMiddleware } from '../../common/security/csrf.middleware';
import { JsonBodyMiddleware } from '../../common/security/json-body.middleware';
import { SessionMiddleware } from '../../common/session/session.middleware';
import { SessionModule } from '../../common/session/session.module';
import { OneAccessModule } from '../oneaccess/oneaccess.module';
import { AuthController } from './auth.controller';

@Module({
  imports: [SessionModule, OneAccessModule],
  controllers: [AuthController],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Order matters: refuse forged requests before reading their body or touching the store.
    consumer.apply(CsrfMiddleware, JsonBodyMiddleware, SessionMiddleware).forRoutes('auth/*path');
  }
}
