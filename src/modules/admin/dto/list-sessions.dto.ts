import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ListSessionsDto {
  @IsString() @IsNotEmpty() @MaxLength(128) user_id!: string;
}

export class SessionIdParams {
  @IsString() @IsNotEmpty() @MaxLength(512) id!: string;
}

export class UserIdParams {
  @IsString() @IsNotEmpty() @MaxLength(128) user_id!: string;
}
