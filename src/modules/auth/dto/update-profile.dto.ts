import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const GENDERS = ['female', 'male', 'unknow'] as const;
const BIRTHDAY = /^\d{4}-\d{2}-\d{2}$/;

/** The profile fields OneAccess lets a user change (not password, mobile or e-mail: section 5.23). */
export class UpdateProfileDto {
  @ApiPropertyOptional({ maxLength: 128 }) @IsOptional() @IsString() @MaxLength(128) name?: string;
  @ApiPropertyOptional({ maxLength: 1024 })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  head_img?: string;
  @ApiPropertyOptional({ enum: GENDERS, description: "`unknow` is OneAccess's spelling." })
  @IsOptional()
  @IsIn(GENDERS)
  attr_gender?: (typeof GENDERS)[number];
  @ApiPropertyOptional({ pattern: BIRTHDAY.source, example: '1990-01-31' })
  @IsOptional()
  @Matches(BIRTHDAY, { message: 'attr_birthday must be yyyy-MM-dd' })
  attr_birthday?: string;
  @ApiPropertyOptional({ maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  attr_nick_name?: string;
  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  first_name?: string;
  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  middle_name?: string;
  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  last_name?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  extension?: Record<string, unknown>;
}
