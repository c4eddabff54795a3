import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

const SOCIAL_ACCOUNT_ID = /^[A-Za-z0-9_-]{1,128}$/;

export class SocialAccountParams {
  @ApiProperty({
    pattern: SOCIAL_ACCOUNT_ID.source,
    description: 'An id from GET /auth/social/accounts.',
  })
  @IsString()
  @Matches(SOCIAL_ACCOUNT_ID, { message: 'id must be a social account id' })
  id!: string;
}
