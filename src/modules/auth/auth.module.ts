import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { CsrfMiddleware } from '../../common/security/csrf.middleware';
import { JsonBodyMiddleware } from '../../common/security/json-body.middleware';
import { SessionMiddleware } from '../../common/session/session.middleware';
import { SessionModule } from '../../common/session/session.module';
import { OneAccessModule } from '../oneaccess/oneaccess.module';
import { AccountController } from './account.controller';
import { AccountService } from './account.service';
import { AuthController } from './auth.controller';
import { AuthStateGuard } from './auth-state.guard';
import { LoginService } from './login.service';
import { VerificationService } from './verification.service';

@Module({
  imports: [SessionModule, OneAccessModule],
  controllers: [AuthController, AccountController],
  providers: [AuthStateGuard, LoginService, VerificationService, AccountService],
  exports: [LoginService],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Order matters: refuse forged requests before reading their body or touching the store.
    consumer.apply(CsrfMiddleware, JsonBodyMiddleware, SessionMiddleware).forRoutes('auth/*path');
  }
}
