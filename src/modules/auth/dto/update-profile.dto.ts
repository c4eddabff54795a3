import { IsIn, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** The profile fields OneAccess lets a user change (not password, mobile or e-mail: section 5.23). */
export class UpdateProfileDto {
  @IsOptional() @IsString() @MaxLength(128) name?: string;
  @IsOptional() @IsString() @MaxLength(1024) head_img?: string;
  @IsOptional() @IsIn(['female', 'male', 'unknow']) attr_gender?: 'female' | 'male' | 'unknow';
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'attr_birthday must be yyyy-MM-dd' })
  attr_birthday?: string;
  @IsOptional() @IsString() @MaxLength(128) attr_nick_name?: string;
  @IsOptional() @IsString() @MaxLength(64) first_name?: string;
  @IsOptional() @IsString() @MaxLength(64) middle_name?: string;
  @IsOptional() @IsString() @MaxLength(64) last_name?: string;
  @IsOptional() @IsObject() extension?: Record<string, unknown>;
}
