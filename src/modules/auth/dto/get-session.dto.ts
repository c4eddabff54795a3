import { IsIn, IsOptional } from 'class-validator';

export class GetSessionDto {
  /** `false` answers without extending the idle timer, for polling (bff-api.md section 3). */
  @IsOptional()
  @IsIn(['true', 'false'])
  slide?: 'true' | 'false';
}
