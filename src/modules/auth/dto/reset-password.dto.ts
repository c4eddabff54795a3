import { ApiProperty } from '@nestjs/swagger';
import {
  IsMobile,
  IsSecret,
  IsVerifyCode,
  MOBILE_DOC,
  SECRET_DOC,
  VERIFY_CODE_DOC,
} from './fields';

export class ResetPasswordDto {
  @ApiProperty(MOBILE_DOC) @IsMobile() mobile!: string;
  @ApiProperty(VERIFY_CODE_DOC) @IsVerifyCode() verify_code!: string;
  @ApiProperty(SECRET_DOC) @IsSecret('password') password!: string;
}
