import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsMobile, MOBILE_DOC } from './fields';

export const SMS_PURPOSES = ['login', 'register', 'reset_password', 'bind', 'mfa'] as const;
export type SmsPurpose = (typeof SMS_PURPOSES)[number];

export class SendSmsDto {
  /** Not needed for `mfa`: the pending step's number is used. */
  @ApiPropertyOptional({
    ...MOBILE_DOC,
    description: "Required except for `mfa`, which uses the pending step's number.",
  })
  @IsOptional()
  @IsMobile()
  mobile?: string;
  @ApiProperty({ enum: SMS_PURPOSES }) @IsIn(SMS_PURPOSES) purpose!: SmsPurpose;
}
