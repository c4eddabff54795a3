import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class GetSessionDto {
  /** `false` answers without extending the idle timer, for polling (docs/api.md section 3). */
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: '`false` answers without extending the idle timer (for polling).',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  slide?: 'true' | 'false';
}
