import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsSecret, SECRET_DOC } from './fields';

export class LoginPasswordDto {
  @ApiProperty({ minLength: 1, maxLength: 128, example: 'zhangsan' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  user_name!: string;
  @ApiProperty(SECRET_DOC) @IsSecret('password') password!: string;
}
