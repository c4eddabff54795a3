import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsMobile, MOBILE_DOC } from './fields';

export class VerifyCaptchaDto {
  @ApiProperty({ minLength: 1, maxLength: 128, description: 'The token GET /auth/captcha gave.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  token!: string;
  /** OneAccess's slider answer as a JSON string, e.g. `{"x":120,"y":5}`. */
  @ApiProperty({
    minLength: 1,
    maxLength: 200,
    example: '{"x":120,"y":5}',
    description: "OneAccess's slider answer as a JSON string.",
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  point_json!: string;
  /** May be omitted during an MFA step: the step's own number is used. */
  @ApiPropertyOptional({
    ...MOBILE_DOC,
    description:
      "The number the SMS will go to; may be omitted during an MFA step (the step's own).",
  })
  @IsOptional()
  @IsMobile()
  mobile?: string;
  /**
   * Set instead of `mobile` when the captcha is for a password attempt (the gateway answered
   * CAPTCHA_REQUIRED to POST /auth/login/password): it is kept for that account, single use.
   */
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 128,
    description:
      'The account of the next password attempt, when sign-in asked for a captcha (instead of mobile).',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  user_name?: string;
}
