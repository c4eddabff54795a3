import { applyDecorators } from '@nestjs/common';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

/** Digits only: OneAccess documents 11-digit mainland numbers; others are left to it to refuse. */
const MOBILE = /^[0-9]{5,20}$/;
const VERIFY_CODE = /^[0-9A-Za-z]{4,10}$/;
const SECRET_MAX = 128;

export const IsMobile = () =>
  applyDecorators(IsString(), Matches(MOBILE, { message: 'mobile must be 5 to 20 digits' }));

export const IsVerifyCode = () =>
  applyDecorators(
    IsString(),
    Matches(VERIFY_CODE, { message: 'verify_code must be 4 to 10 letters or digits' }),
  );

export const IsSecret = (field: string) =>
  applyDecorators(
    IsString(),
    IsNotEmpty({ message: `${field} is required` }),
    MaxLength(SECRET_MAX),
  );

// The same rules as OpenAPI property options (for @ApiProperty), so the document states
// exactly what validation enforces.
export const MOBILE_DOC = { pattern: MOBILE.source, example: '12345678901' };
export const VERIFY_CODE_DOC = { pattern: VERIFY_CODE.source, example: '123456' };
export const SECRET_DOC = { minLength: 1, maxLength: SECRET_MAX, format: 'password' };
