import { IsVerifyCode } from './fields';

export class VerifyMfaDto {
  @IsVerifyCode() verify_code!: string;
}
