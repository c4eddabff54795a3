import { IsOptional, IsString, MaxLength } from 'class-validator';

export class OAuthLoginDto {
  /** Where to land after login; only a same-origin relative path is honoured. */
  @IsOptional() @IsString() @MaxLength(2048) return_to?: string;
}

/** The callback's query as OneAccess sends it (an error instead of a code when the user declines). */
export class OAuthCallbackDto {
  @IsOptional() @IsString() @MaxLength(2048) code?: string;
  @IsOptional() @IsString() @MaxLength(512) state?: string;
  @IsOptional() @IsString() @MaxLength(256) error?: string;
  @IsOptional() @IsString() @MaxLength(1024) error_description?: string;
}
