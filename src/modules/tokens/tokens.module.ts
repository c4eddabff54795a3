import { Module } from '@nestjs/common';
import { AuditModule } from '../../common/audit/audit.module';
import { SessionModule } from '../../common/session/session.module';
import { OneAccessModule } from '../oneaccess/oneaccess.module';
import { CredentialService } from './credential.service';
import { SessionEndedBus } from './session-ended-bus';
import { SessionEvents } from './session-events';
import { SessionRegistry } from './session-registry';
import { TokenRefresher } from './token-refresher';

/**
 * Signed-in sessions' credentials: lifetimes, activity, single-flight token refresh, and the
 * session-ended event.
 */
@Module({
  imports: [SessionModule, OneAccessModule, AuditModule],
  providers: [CredentialService, TokenRefresher, SessionRegistry, SessionEvents, SessionEndedBus],
  exports: [CredentialService, TokenRefresher, SessionRegistry, SessionEvents, SessionEndedBus],
})
export class TokensModule {}
