import { Module } from '@nestjs/common';
import { AuditModule } from '../../common/audit/audit.module';
import { SessionModule } from '../../common/session/session.module';
import { OneAccessModule } from '../oneaccess/oneaccess.module';
import { CredentialService } from './credential.service';
import { SessionRegistry } from './session-registry';
import { TokenRefresher } from './token-refresher';

/** Signed-in sessions' credentials: lifetimes, activity, and single-flight token refresh. */
@Module({
  imports: [SessionModule, OneAccessModule, AuditModule],
  providers: [CredentialService, TokenRefresher, SessionRegistry],
  exports: [CredentialService, TokenRefresher, SessionRegistry],
})
export class TokensModule {}
