import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsMobile } from './fields';

export class VerifyCaptchaDto {
  @IsString() @IsNotEmpty() @MaxLength(128) token!: string;
  /** OneAccess's slider answer as a JSON string, e.g. `{"x":120,"y":5}`. */
  @IsString() @IsNotEmpty() @MaxLength(200) point_json!: string;
  /** May be omitted during an MFA step: the step's own number is used. */
  @IsOptional() @IsMobile() mobile?: string;
}
