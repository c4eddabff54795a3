import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CREDENTIAL_STORE } from './credential';
import { ONE_TIME_STORE } from './one-time.store';
import { SessionCookieReader } from './session-cookie';
import {
  credentialStoreProvider,
  oneTimeStoreProvider,
  SESSION_CIPHER,
  SESSION_STORE,
  sessionCipherProvider,
  sessionStoreProvider,
} from './session-store.provider';
import { SessionMiddleware } from './session.middleware';

/**
 * The session stores (express-session's record and the credential record, both encrypted) and
 * the express-session middleware. Feature modules apply SessionMiddleware to their own routes,
 * so health probes and static files never touch the store.
 */
@Module({
  // The cookie reader audits cookies that do not verify (session_rejected).
  imports: [AuditModule],
  providers: [
    sessionCipherProvider,
    sessionStoreProvider,
    credentialStoreProvider,
    oneTimeStoreProvider,
    SessionMiddleware,
    SessionCookieReader,
  ],
  exports: [
    SESSION_CIPHER,
    SESSION_STORE,
    CREDENTIAL_STORE,
    ONE_TIME_STORE,
    SessionMiddleware,
    SessionCookieReader,
  ],
})
export class SessionModule {}
