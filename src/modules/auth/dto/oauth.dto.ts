import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class OAuthLoginDto {
  /** Where to land after login; only a same-origin relative path under BASE_PATH is honoured. */
  @ApiPropertyOptional({
    maxLength: 2048,
    example: '/account',
    description:
      'Where to land after login: a same-origin relative path under BASE_PATH (e.g. ' +
      '`/portal/account`), also once decoded (`/portal/..%2Fadmin` is not), at most 512 ' +
      'characters; anything else becomes `<BASE_PATH>/`.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  return_to?: string;
}

/** The callback's query as OneAccess sends it (an error instead of a code when the user declines). */
export class OAuthCallbackDto {
  @ApiPropertyOptional({ maxLength: 2048 })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  code?: string;
  @ApiPropertyOptional({ maxLength: 512 }) @IsOptional() @IsString() @MaxLength(512) state?: string;
  @ApiPropertyOptional({
    maxLength: 256,
    description: 'Sent instead of a code, e.g. when the user declines.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  error?: string;
  @ApiPropertyOptional({ maxLength: 1024 })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  error_description?: string;
}
