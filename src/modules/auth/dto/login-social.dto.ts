import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export const SOCIAL_PROVIDERS = ['wechat', 'alipay'] as const;
export type SocialProvider = (typeof SOCIAL_PROVIDERS)[number];

export class LoginSocialDto {
  /** The provider's authorization code, as its app or page handed it over. */
  @ApiProperty({
    minLength: 1,
    maxLength: 512,
    description: "The provider's authorization code, as its app or page handed it over.",
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  code!: string;
}

export class SocialProviderParams {
  @ApiProperty({ enum: SOCIAL_PROVIDERS }) @IsIn(SOCIAL_PROVIDERS) provider!: SocialProvider;
}
