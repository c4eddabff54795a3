import { IsMobile, IsVerifyCode } from './fields';

export class LoginSmsDto {
  @IsMobile() mobile!: string;
  @IsVerifyCode() verify_code!: string;
}
