import { applyDecorators } from '@nestjs/common';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

/** Digits only: OneAccess documents 11-digit mainland numbers; others are left to it to refuse. */
export const IsMobile = () =>
  applyDecorators(
    IsString(),
    Matches(/^[0-9]{5,20}$/, { message: 'mobile must be 5 to 20 digits' }),
  );

export const IsVerifyCode = () =>
  applyDecorators(
    IsString(),
    Matches(/^[0-9A-Za-z]{4,10}$/, { message: 'verify_code must be 4 to 10 letters or digits' }),
  );

export const IsSecret = (field: string) =>
  applyDecorators(IsString(), IsNotEmpty({ message: `${field} is required` }), MaxLength(128));
