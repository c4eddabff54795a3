import { Module } from '@nestjs/common';
import { AuditModule } from '../../common/audit/audit.module';
import { RateLimitModule } from '../../common/rate-limit/rate-limit.module';
import { SessionModule } from '../../common/session/session.module';
import { TokensModule } from '../tokens/tokens.module';
import { AdminController } from './admin.controller';
import { AdminGuard } from './admin.guard';
import { AdminService } from './admin.service';

@Module({
  imports: [SessionModule, TokensModule, RateLimitModule, AuditModule],
  controllers: [AdminController],
  providers: [AdminGuard, AdminService],
})
export class AdminModule {}
