import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsSecret } from './fields';

export class LoginPasswordDto {
  @IsString() @IsNotEmpty() @MaxLength(128) user_name!: string;
  @IsSecret('password') password!: string;
}
