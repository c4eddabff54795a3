import { IsSecret } from './fields';

export class UpdatePasswordDto {
  @IsSecret('old_password') old_password!: string;
  @IsSecret('new_password') new_password!: string;
}
