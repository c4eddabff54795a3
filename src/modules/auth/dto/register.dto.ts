import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  IsMobile,
  IsSecret,
  IsVerifyCode,
  MOBILE_DOC,
  SECRET_DOC,
  VERIFY_CODE_DOC,
} from './fields';

export class RegisterDto {
  @ApiProperty(MOBILE_DOC) @IsMobile() mobile!: string;
  @ApiProperty(VERIFY_CODE_DOC) @IsVerifyCode() verify_code!: string;
  @ApiPropertyOptional({ maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  user_name?: string;
  @ApiPropertyOptional(SECRET_DOC) @IsOptional() @IsSecret('password') password?: string;
  @ApiPropertyOptional({ maxLength: 128 }) @IsOptional() @IsString() @MaxLength(128) name?: string;
  @ApiPropertyOptional({ format: 'email', maxLength: 254 })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}
