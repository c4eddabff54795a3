import { ApiProperty } from '@nestjs/swagger';
import { IsSecret, SECRET_DOC } from './fields';

export class UpdatePasswordDto {
  @ApiProperty(SECRET_DOC) @IsSecret('old_password') old_password!: string;
  @ApiProperty(SECRET_DOC) @IsSecret('new_password') new_password!: string;
}
