import { Module } from '@nestjs/common';
import { sessionStoreProvider, SESSION_STORE } from './session-store.provider';
import { SessionMiddleware } from './session.middleware';

/**
 * The session store and the express-session middleware. Feature modules apply SessionMiddleware
 * to their own controllers in `configure()`, so that health probes and static files never touch
 * the store.
 */
@Module({
  providers: [sessionStoreProvider, SessionMiddleware],
  exports: [SESSION_STORE, SessionMiddleware],
})
export class SessionModule {}
