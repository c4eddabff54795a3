import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { OneAccessModule } from '../oneaccess/oneaccess.module';
import { HealthController } from './health.controller';
import { OneAccessHealthIndicator } from './oneaccess.health';
import { RedisHealthIndicator } from './redis.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), OneAccessModule],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, OneAccessHealthIndicator],
})
export class HealthModule {}
