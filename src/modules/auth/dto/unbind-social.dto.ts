import { IsString, Matches } from 'class-validator';

export class SocialAccountParams {
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,128}$/, { message: 'id must be a social account id' })
  id!: string;
}
