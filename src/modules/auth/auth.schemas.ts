import { ApiExtraModels, ApiProperty, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import type { LoginMethod, PendingStatus } from '../../common/session/session.types';
import {
  ProfileView,
  SessionStatus,
  SessionUserView,
  SessionView,
  SocialAccountView,
} from './auth.types';
import { CaptchaView } from './verification.service';

// OpenAPI schemas of what /auth answers (docs/api.md sections 3 and 4). Each class `implements` the
// plain type the handlers return (CONTRIBUTING.md section 5), so the document cannot drift from the
// code unnoticed.

const PENDING_STATUSES: PendingStatus[] = [
  'MFA_AUTH',
  'PASSWORD_WARN',
  'PASSWORD_EXPIRED',
  'SOCIAL_BIND',
];
const SESSION_STATUSES: SessionStatus[] = ['ANONYMOUS', 'SUCCESS', ...PENDING_STATUSES];
const LOGIN_METHODS: LoginMethod[] = ['password', 'sms', 'wechat', 'alipay', 'register', 'oauth'];

@ApiSchema({ name: 'SessionUser' })
export class SessionUserSchema implements SessionUserView {
  @ApiProperty({
    description: 'The OneAccess user id.',
    example: '20210926064208530-5A8A-03D94B540',
  })
  id!: string;
  @ApiProperty({ example: 'zhangsan' }) user_name!: string;
  @ApiProperty({ example: 'Zhang San' }) name!: string;
  @ApiProperty({ description: 'First 3 and last 4 digits.', example: '123****8901' })
  mobile!: string;
  @ApiProperty({ description: 'First character of the local part.', example: 'z***@example.com' })
  email!: string;
}

@ApiSchema({ name: 'MfaPending' })
export class MfaPendingSchema {
  @ApiProperty({ description: 'The masked number the code goes to.', example: '123****8901' })
  mobile!: string;
}

@ApiSchema({ name: 'PasswordWarnPending' })
export class PasswordWarnPendingSchema {
  @ApiProperty({ enum: [true] }) can_skip!: true;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: "OneAccess's password policy (`data`) as given; its keys are OneAccess's.",
  })
  password_policy!: Record<string, unknown> | null;
}

@ApiSchema({ name: 'PasswordExpiredPending' })
export class PasswordExpiredPendingSchema {
  @ApiProperty({ enum: [false] }) can_skip!: false;
}

@ApiSchema({ name: 'SocialBindPending' })
export class SocialBindPendingSchema {
  @ApiProperty({ enum: ['wechat', 'alipay'] }) provider!: 'wechat' | 'alipay';
}

/** What GET /auth/session and every login-type endpoint answer (200). */
@ApiExtraModels(
  MfaPendingSchema,
  PasswordWarnPendingSchema,
  PasswordExpiredPendingSchema,
  SocialBindPendingSchema,
)
@ApiSchema({ name: 'SessionView' })
export class SessionViewSchema implements SessionView {
  @ApiProperty({ description: 'True only for status SUCCESS.' }) authenticated!: boolean;
  @ApiProperty({ enum: SESSION_STATUSES, enumName: 'SessionStatus', example: 'SUCCESS' })
  status!: SessionStatus;
  @ApiProperty({
    type: () => SessionUserSchema,
    nullable: true,
    description: 'Null unless authenticated.',
  })
  user!: SessionUserView | null;
  @ApiProperty({
    enum: LOGIN_METHODS,
    enumName: 'LoginMethod',
    nullable: true,
    description: 'During a pending step, the method that started it; null when anonymous.',
  })
  login_method!: LoginMethod | null;
  @ApiProperty({
    nullable: true,
    example: null,
    description:
      'The pending step: MFA_AUTH `{ mobile }`, PASSWORD_WARN `{ can_skip: true, password_policy }`, ' +
      'PASSWORD_EXPIRED `{ can_skip: false }`, SOCIAL_BIND `{ provider }`; null otherwise.',
    oneOf: [
      { $ref: getSchemaPath(MfaPendingSchema) },
      { $ref: getSchemaPath(PasswordWarnPendingSchema) },
      { $ref: getSchemaPath(PasswordExpiredPendingSchema) },
      { $ref: getSchemaPath(SocialBindPendingSchema) },
    ],
  })
  pending!: Record<string, unknown> | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Absolute end of the session.',
  })
  expires_at!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'End without activity.',
  })
  idle_expires_at!: string | null;
}

@ApiSchema({ name: 'Captcha' })
export class CaptchaSchema implements CaptchaView {
  @ApiProperty({ description: 'Echo it to POST /auth/captcha/verify.' }) token!: string;
  @ApiProperty({ description: 'Background image, base64 PNG.' }) original_image_base64!: string;
  @ApiProperty({ description: 'Slider piece, base64 PNG.' }) jigsaw_image_base64!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "OneAccess's AES key for the answer, when it uses one.",
  })
  secret_key!: string | null;
}

@ApiSchema({ name: 'CaptchaVerified' })
export class CaptchaVerifiedSchema {
  @ApiProperty({ enum: [true] }) verified!: true;
}

@ApiSchema({ name: 'SmsSent' })
export class SmsSentSchema {
  @ApiProperty({ enum: [true] }) sent!: true;
  @ApiProperty({ example: 60, description: 'Seconds before another code may be requested.' })
  retry_after_s!: number;
}

@ApiSchema({ name: 'Mfa' })
export class MfaSchema {
  @ApiProperty({ example: '123****8901' }) mobile!: string;
}

@ApiSchema({ name: 'PasswordReset' })
export class PasswordResetSchema {
  @ApiProperty({ enum: [true] }) reset!: true;
}

/** The user's own profile, unmasked (GET and PATCH /auth/profile). */
@ApiSchema({ name: 'Profile' })
export class ProfileSchema implements ProfileView {
  @ApiProperty({ example: 'zhangsan' }) user_name!: string;
  @ApiProperty({ example: 'Zhang San' }) name!: string;
  @ApiProperty({ example: 'zhangsan@example.com' }) email!: string;
  @ApiProperty({ example: '12345678901' }) mobile!: string;
  @ApiProperty() head_img!: string;
  @ApiProperty({ example: 'male' }) attr_gender!: string;
  @ApiProperty({ example: '1990-01-31' }) attr_birthday!: string;
  @ApiProperty() attr_nick_name!: string;
  @ApiProperty() first_name!: string;
  @ApiProperty() middle_name!: string;
  @ApiProperty() last_name!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Extension attributes, as OneAccess holds them.',
  })
  extension!: unknown;
}

@ApiSchema({ name: 'SocialAccount' })
export class SocialAccountSchema implements SocialAccountView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: "OneAccess's socialType as given.", example: 'weixin' })
  type!: string;
  @ApiProperty() nickname!: string;
  @ApiProperty() head_image!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) bound_at!: string | null;
}

@ApiSchema({ name: 'SocialAccounts' })
export class SocialAccountsSchema {
  @ApiProperty({ type: [SocialAccountSchema] }) accounts!: SocialAccountView[];
}

@ApiSchema({ name: 'Logout' })
export class LogoutSchema {
  @ApiProperty({ enum: [true] }) logged_out!: true;
  @ApiProperty({
    required: false,
    description:
      "OneAccess's logout page, only when LOGOUT_REDIRECT_URL is configured: the global logout " +
      '(`/api/v1/logout?redirect_url=`) or, with LOGOUT_STYLE=cas, `/api/v1/cas/logout?service=`.',
    example:
      'https://abcdefg.huaweioneaccess.com/api/v1/logout?redirect_url=https%3A%2F%2Fportal.example.com%2F',
  })
  logout_url?: string;
}
