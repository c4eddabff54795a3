import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ERROR_STATUS, ErrorCode, FieldError } from './app-error';
import { ErrorBody } from './error-response';

/** OpenAPI schema of one entry of `errors` (validation failures). */
@ApiSchema({ name: 'FieldError' })
export class FieldErrorSchema implements FieldError {
  @ApiProperty({ example: 'mobile' }) field!: string;
  @ApiProperty({ example: 'mobile must be 5 to 20 digits' }) message!: string;
}

/**
 * OpenAPI schema of every error answer (docs/api.md section 6). `implements ErrorBody` keeps it in
 * step with what the exception filter writes: a field added there fails to compile here.
 */
@ApiSchema({ name: 'ErrorBody' })
export class ErrorBodySchema implements ErrorBody {
  @ApiProperty({
    enum: Object.keys(ERROR_STATUS),
    enumName: 'ErrorCode',
    description: 'Stable machine-readable code; the HTTP status follows from it.',
  })
  code!: ErrorCode;

  @ApiProperty({
    description:
      "Safe to show to a person: in Chinese when Accept-Language prefers Chinese, else English (sent as Content-Language); OneAccess's own message where it has one.",
  })
  message!: string;

  @ApiProperty({
    description: 'Also sent as the X-Request-Id header; quote it when reporting a problem.',
    example: '0b6f1c52-3f43-4a8e-9b1e-2f0d6c9d8e71',
  })
  request_id!: string;

  @ApiPropertyOptional({
    type: [FieldErrorSchema],
    description: 'One entry per failing field (VALIDATION_FAILED only).',
  })
  errors?: FieldError[];

  @ApiPropertyOptional({
    description: "OneAccess's own `error_code`, when it supplied one.",
    example: 'LOGIN.0002',
  })
  upstream_code?: string;
}
