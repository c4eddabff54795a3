import { IsMobile, IsVerifyCode } from './fields';

export class BindSocialDto {
  @IsMobile() mobile!: string;
  @IsVerifyCode() verify_code!: string;
}
