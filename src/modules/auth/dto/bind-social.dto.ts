import { ApiProperty } from '@nestjs/swagger';
import { IsMobile, IsVerifyCode, MOBILE_DOC, VERIFY_CODE_DOC } from './fields';

export class BindSocialDto {
  @ApiProperty(MOBILE_DOC) @IsMobile() mobile!: string;
  @ApiProperty(VERIFY_CODE_DOC) @IsVerifyCode() verify_code!: string;
}
