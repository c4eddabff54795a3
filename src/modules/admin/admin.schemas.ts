import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AdminSessionView } from './admin.service';

// OpenAPI schemas of what /admin answers (docs/api.md section 7); they implement the plain
// types the service returns, so the document keeps step with them.

@ApiSchema({ name: 'AdminSession' })
export class AdminSessionSchema implements AdminSessionView {
  @ApiProperty({
    description:
      'An admin session ref (opaque) for DELETE /admin/sessions/{id}; not the cookie value.',
  })
  id!: string;
  @ApiProperty() user_id!: string;
  @ApiProperty({ example: 'password' }) login_method!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) last_seen_at!: string;
  @ApiProperty({ example: '198.51.100.7' }) ip!: string;
  @ApiProperty() user_agent!: string;
}

@ApiSchema({ name: 'AdminSessions' })
export class AdminSessionsSchema {
  @ApiProperty({ type: [AdminSessionSchema] }) sessions!: AdminSessionView[];
}
