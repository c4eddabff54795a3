import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ListSessionsDto {
  @ApiProperty({ maxLength: 128, description: 'The OneAccess user id.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  user_id!: string;
}

export class SessionIdParams {
  @ApiProperty({ maxLength: 512, description: 'An admin session ref from GET /admin/sessions.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  id!: string;
}

export class UserIdParams {
  @ApiProperty({ maxLength: 128, description: 'The OneAccess user id.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  user_id!: string;
}
