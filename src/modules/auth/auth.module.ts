import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { AuditModule } from '../../common/audit/audit.module';
import { RateLimitModule } from '../../common/rate-limit/rate-limit.module';
import { CsrfMiddleware } from '../../common/security/csrf.middleware';
import { JsonBodyMiddleware } from '../../common/security/json-body.middleware';
import { SessionMiddleware } from '../../common/session/session.middleware';
import { SessionModule } from '../../common/session/session.module';
import { OneAccessModule } from '../oneaccess/oneaccess.module';
import { TokensModule } from '../tokens/tokens.module';
import { AccountController } from './account.controller';
import { AccountService } from './account.service';
import { AuthController } from './auth.controller';
import { AuthStateGuard } from './auth-state.guard';
import { CaptchaClaims } from './captcha-claims';
import { OAuthController } from './oauth.controller';
import { OAuthLoginService } from './oauth-login.service';
import { LoginProtectionService } from './login-protection.service';
import { OwnSessionsController } from './own-sessions.controller';
import { OwnSessionsService } from './own-sessions.service';
import { LoginService } from './login.service';
import { SessionViewHandler } from './session-view.handler';
import { VerificationService } from './verification.service';

@Module({
  imports: [SessionModule, OneAccessModule, TokensModule, RateLimitModule, AuditModule],
  controllers: [AuthController, AccountController, OwnSessionsController, OAuthController],
  providers: [
    AuthStateGuard,
    LoginService,
    LoginProtectionService,
    CaptchaClaims,
    VerificationService,
    AccountService,
    OAuthLoginService,
    OwnSessionsService,
    SessionViewHandler,
  ],
  exports: [LoginService, SessionViewHandler],
})
export class AuthModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Order matters: refuse forged requests before reading their body or touching the store.
    consumer.apply(CsrfMiddleware, JsonBodyMiddleware, SessionMiddleware).forRoutes('auth/*path');
  }
}
