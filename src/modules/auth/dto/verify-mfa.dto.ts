import { ApiProperty } from '@nestjs/swagger';
import { IsVerifyCode, VERIFY_CODE_DOC } from './fields';

export class VerifyMfaDto {
  @ApiProperty(VERIFY_CODE_DOC) @IsVerifyCode() verify_code!: string;
}
