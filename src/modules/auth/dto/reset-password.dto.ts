import { IsMobile, IsSecret, IsVerifyCode } from './fields';

export class ResetPasswordDto {
  @IsMobile() mobile!: string;
  @IsVerifyCode() verify_code!: string;
  @IsSecret('password') password!: string;
}
