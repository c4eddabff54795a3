import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsMobile, IsSecret, IsVerifyCode } from './fields';

export class RegisterDto {
  @IsMobile() mobile!: string;
  @IsVerifyCode() verify_code!: string;
  @IsOptional() @IsString() @MaxLength(128) user_name?: string;
  @IsOptional() @IsSecret('password') password?: string;
  @IsOptional() @IsString() @MaxLength(128) name?: string;
  @IsOptional() @IsEmail() @MaxLength(254) email?: string;
}
