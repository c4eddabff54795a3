import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { LoginMethod } from '../../common/session/session.types';
import { OwnSessionView } from './auth.types';

// OpenAPI schemas of "Your sessions" (docs/api.md section 4); each implements the type the handler
// returns, so the document cannot drift from the code unnoticed.

const LOGIN_METHODS: LoginMethod[] = ['password', 'sms', 'wechat', 'alipay', 'register', 'oauth'];

@ApiSchema({ name: 'OwnSession' })
export class OwnSessionSchema implements OwnSessionView {
  @ApiProperty({
    description:
      'A session ref (opaque) for DELETE /auth/sessions/{id}, stable for the session; not the cookie value.',
    example: 'q3Jd0v4lR9mXbT1cZkP2sA',
  })
  id!: string;
  @ApiProperty({ description: 'True for the session making this request.' }) current!: boolean;
  @ApiProperty({ enum: LOGIN_METHODS }) login_method!: LoginMethod;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) last_seen_at!: string;
  @ApiProperty({ description: 'Where the login came from.', example: '198.51.100.7' }) ip!: string;
  @ApiProperty({ description: 'From the User-Agent.', example: 'Chrome on Windows 10' })
  device!: string;
}

@ApiSchema({ name: 'OwnSessions' })
export class OwnSessionsSchema {
  @ApiProperty({ type: [OwnSessionSchema], description: 'Newest first.' })
  sessions!: OwnSessionView[];
}

@ApiSchema({ name: 'SessionsEnded' })
export class SessionsEndedSchema {
  @ApiProperty({ description: 'How many other sessions were ended.', example: 2 }) ended!: number;
}
