import { Module } from '@nestjs/common';
import { AuditModule } from '../../common/audit/audit.module';
import { SessionModule } from '../../common/session/session.module';
import { TokensModule } from '../tokens/tokens.module';
import { RelayHandler } from './relay.handler';
import { RelayPools } from './relay-pools';
import { WebSocketRelay } from './websocket/websocket-relay';

/** The token relay for `/api/<name>/**`; mounted ahead of Express by bootstrap.ts. */
@Module({
  imports: [SessionModule, TokensModule, AuditModule],
  providers: [RelayPools, RelayHandler, WebSocketRelay],
  exports: [RelayHandler, WebSocketRelay],
})
export class RelayModule {}
