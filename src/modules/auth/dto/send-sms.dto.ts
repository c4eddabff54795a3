import { IsIn, IsOptional } from 'class-validator';
import { IsMobile } from './fields';

export const SMS_PURPOSES = ['login', 'register', 'reset_password', 'bind', 'mfa'] as const;
export type SmsPurpose = (typeof SMS_PURPOSES)[number];

export class SendSmsDto {
  /** Not needed for `mfa`: the pending step's number is used. */
  @IsOptional() @IsMobile() mobile?: string;
  @IsIn(SMS_PURPOSES) purpose!: SmsPurpose;
}
