import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { SdkLoginClient } from '../oneaccess/sdk-login.client';
import { AuthRead, AuthWrite, LOGIN_ERRORS, ONEACCESS_ERRORS } from './auth-docs.decorator';
import { AuthStateGuard, RequiresStep } from './auth-state.guard';
import {
  CaptchaSchema,
  CaptchaVerifiedSchema,
  MfaSchema,
  PasswordResetSchema,
  SessionViewSchema,
  SmsSentSchema,
} from './auth.schemas';
import { SessionView } from './auth.types';
import { CurrentSession } from './current-session.decorator';
import { BindSocialDto } from './dto/bind-social.dto';
import { GetSessionDto } from './dto/get-session.dto';
import { LoginPasswordDto } from './dto/login-password.dto';
import { LoginSmsDto } from './dto/login-sms.dto';
import { LoginSocialDto, SocialProviderParams } from './dto/login-social.dto';
import { RegisterDto } from './dto/register.dto';
import { ResetPasswordDto } from './dto/reset-password.dto';
import { SendSmsDto } from './dto/send-sms.dto';
import { UpdatePasswordDto } from './dto/update-password.dto';
import { VerifyCaptchaDto } from './dto/verify-captcha.dto';
import { VerifyMfaDto } from './dto/verify-mfa.dto';
import { LoginProtectionService } from './login-protection.service';
import { LoginService } from './login.service';
import { livePending } from './session-view';
import { SessionHandle } from './session-handle';
import { maskMobile } from './mask';
import { OwnSessionsService } from './own-sessions.service';
import { CaptchaView, VerificationService } from './verification.service';

/**
 * Signing in, step by step, as OneAccess's embedded flows go (docs/api.md section 4). Every
 * login-type endpoint answers the session view; tokens stay in the session.
 */
@ApiTags('auth')
@Controller('auth')
@UseGuards(AuthStateGuard)
export class AuthController {
  constructor(
    private readonly login: LoginService,
    private readonly verification: VerificationService,
    private readonly sdk: SdkLoginClient,
    private readonly ownSessions: OwnSessionsService,
    private readonly protection: LoginProtectionService,
  ) {}

  /** The session view; a cookie naming no live session gets the anonymous view, never an error. */
  @Get('session')
  @AuthRead(
    'The session view (anonymous when the cookie names no live session)',
    'VALIDATION_FAILED',
  )
  @ApiOkResponse({ type: SessionViewSchema, description: 'The session view (section 3).' })
  getSession(
    @CurrentSession() session: SessionHandle,
    @Query() _query: GetSessionDto,
  ): SessionView {
    return this.login.view(session);
  }

  @Get('captcha')
  @RateLimit('captcha')
  @AuthRead('A slider captcha to solve before an SMS', ...ONEACCESS_ERRORS)
  @ApiOkResponse({ type: CaptchaSchema, description: 'A new captcha.' })
  captcha(@CurrentSession() session: SessionHandle): Promise<CaptchaView> {
    return this.verification.captcha(session);
  }

  @Post('captcha/verify')
  @RateLimit('captcha')
  @HttpCode(200)
  @AuthWrite('Verify the captcha for the mobile the next SMS goes to', ...ONEACCESS_ERRORS)
  @ApiOkResponse({
    type: CaptchaVerifiedSchema,
    description: 'Verified; the captcha_token is kept server-side for that mobile.',
  })
  verifyCaptcha(
    @CurrentSession() session: SessionHandle,
    @Body() body: VerifyCaptchaDto,
  ): Promise<{ verified: true }> {
    return this.verification.verifyCaptcha(
      session,
      body.token,
      body.point_json,
      body.mobile,
      body.user_name,
    );
  }

  @Post('sms/send')
  @RateLimit('sms-send')
  @HttpCode(200)
  @AuthWrite(
    'Send an SMS code (needs a captcha verified for that mobile)',
    'CAPTCHA_REQUIRED',
    'NO_PENDING_STEP',
    ...ONEACCESS_ERRORS,
  )
  @ApiOkResponse({ type: SmsSentSchema, description: 'Sent.' })
  sendSms(
    @CurrentSession() session: SessionHandle,
    @Body() body: SendSmsDto,
  ): Promise<{ sent: true; retry_after_s: number }> {
    return this.verification.sendSms(session, body.purpose, body.mobile);
  }

  @Post('login/password')
  @RateLimit('login-password')
  @HttpCode(200)
  @AuthWrite(
    'Sign in with user name and password (after failures: a captcha verified for user_name first)',
    'CAPTCHA_REQUIRED',
    ...LOGIN_ERRORS,
  )
  @ApiOkResponse({ type: SessionViewSchema, description: 'The session view (section 3).' })
  loginWithPassword(
    @CurrentSession() session: SessionHandle,
    @Body() body: LoginPasswordDto,
  ): Promise<SessionView> {
    return this.protection.protect(session, body.user_name, body.password, () =>
      this.login.attempt(session, 'password', () =>
        this.sdk.loginWithPassword(session.device(), body.user_name, body.password),
      ),
    );
  }

  @Post('login/sms')
  @RateLimit('login-sms')
  @HttpCode(200)
  @AuthWrite('Sign in with mobile and SMS code', ...LOGIN_ERRORS)
  @ApiOkResponse({ type: SessionViewSchema, description: 'The session view (section 3).' })
  loginWithSms(
    @CurrentSession() session: SessionHandle,
    @Body() body: LoginSmsDto,
  ): Promise<SessionView> {
    return this.login.attempt(session, 'sms', () =>
      this.sdk.loginWithSms(session.device(), body.mobile, body.verify_code),
    );
  }

  @Post('login/social/:provider')
  @RateLimit('login-social')
  @HttpCode(200)
  @AuthWrite('Sign in with a WeChat or Alipay authorization code', ...LOGIN_ERRORS)
  @ApiOkResponse({ type: SessionViewSchema, description: 'The session view (section 3).' })
  loginWithSocial(
    @CurrentSession() session: SessionHandle,
    @Param() params: SocialProviderParams,
    @Body() body: LoginSocialDto,
  ): Promise<SessionView> {
    const device = session.device();
    return this.login.attempt(session, params.provider, () =>
      params.provider === 'wechat'
        ? this.sdk.loginWithWechat(device, body.code)
        : this.sdk.loginWithAlipay(device, body.code),
    );
  }

  @Get('mfa')
  @RequiresStep('MFA_AUTH')
  @AuthRead('The masked number of the pending MFA step')
  @ApiOkResponse({ type: MfaSchema, description: 'The number the MFA code goes to, masked.' })
  mfa(@CurrentSession() session: SessionHandle): { mobile: string } {
    return { mobile: maskMobile(livePending(session.data, Date.now())!.mobile) };
  }

  @Post('mfa/sms')
  @RateLimit('mfa')
  @HttpCode(200)
  @RequiresStep('MFA_AUTH')
  @AuthWrite('Complete the MFA step with the SMS code', ...LOGIN_ERRORS)
  @ApiOkResponse({ type: SessionViewSchema, description: 'The session view (section 3).' })
  verifyMfa(
    @CurrentSession() session: SessionHandle,
    @Body() body: VerifyMfaDto,
  ): Promise<SessionView> {
    const step = livePending(session.data, Date.now())!;
    return this.login.attempt(session, step.login_method, () =>
      this.sdk.verifyMfaSms(session.device(), step.state_token, step.mobile!, body.verify_code),
    );
  }

  @Post('password/update')
  @HttpCode(200)
  @RequiresStep('PASSWORD_WARN', 'PASSWORD_EXPIRED')
  @AuthWrite(
    'Change the password a pending step asks for; every other session of the user ends',
    ...LOGIN_ERRORS,
  )
  @ApiOkResponse({ type: SessionViewSchema, description: 'The session view (section 3).' })
  async updatePassword(
    @CurrentSession() session: SessionHandle,
    @Body() body: UpdatePasswordDto,
  ): Promise<SessionView> {
    const step = livePending(session.data, Date.now())!;
    const view = await this.login.attempt(session, step.login_method, () =>
      this.sdk.updatePassword(
        session.device(),
        step.state_token,
        body.old_password,
        body.new_password,
      ),
    );
    // Whoever knew the old password may be signed in elsewhere (contract section 4).
    if (view.authenticated) await this.ownSessions.endOthers(session, 'password_changed');
    return view;
  }

  @Post('password/skip')
  @HttpCode(200)
  @RequiresStep('PASSWORD_WARN')
  @AuthWrite('Skip the optional password change', ...LOGIN_ERRORS)
  @ApiOkResponse({ type: SessionViewSchema, description: 'The session view (section 3).' })
  skipPassword(@CurrentSession() session: SessionHandle): Promise<SessionView> {
    const step = livePending(session.data, Date.now())!;
    return this.login.attempt(session, step.login_method, () =>
      this.sdk.skipPasswordUpdate(session.device(), step.state_token),
    );
  }

  @Post('password/reset')
  @RateLimit('password-reset')
  @HttpCode(200)
  @AuthWrite('Reset a forgotten password by SMS code; ends its sessions', ...ONEACCESS_ERRORS)
  @ApiOkResponse({ type: PasswordResetSchema, description: 'Reset.' })
  async resetPassword(
    @CurrentSession() session: SessionHandle,
    @Body() body: ResetPasswordDto,
  ): Promise<{ reset: true }> {
    await this.sdk.resetPasswordByMobile(
      session.device(),
      body.mobile,
      body.verify_code,
      body.password,
    );
    // The phone is proven: the password counts of this account end now (docs/api.md 6.1).
    await this.protection.phoneProven(session, body.mobile, body.password);
    // Whoever knew the old password may be signed in anywhere (contract section 4).
    await this.ownSessions.endForReset(session, body.mobile);
    return { reset: true };
  }

  @Post('register')
  @RateLimit('register')
  @HttpCode(200)
  @AuthWrite('Register with mobile and SMS code; signs in', ...LOGIN_ERRORS)
  @ApiOkResponse({ type: SessionViewSchema, description: 'The session view (section 3).' })
  register(
    @CurrentSession() session: SessionHandle,
    @Body() body: RegisterDto,
  ): Promise<SessionView> {
    const { password, ...fields } = body;
    return this.login.attempt(session, 'register', () =>
      this.sdk.register(session.device(), { ...fields, pwd: password }),
    );
  }

  @Post('social/bind')
  @RateLimit('social-bind')
  @HttpCode(200)
  @RequiresStep('SOCIAL_BIND')
  @AuthWrite('Bind the social account to an existing user', ...LOGIN_ERRORS)
  @ApiOkResponse({ type: SessionViewSchema, description: 'The session view (section 3).' })
  bindSocial(
    @CurrentSession() session: SessionHandle,
    @Body() body: BindSocialDto,
  ): Promise<SessionView> {
    const step = livePending(session.data, Date.now())!;
    return this.login.attempt(session, step.login_method, () =>
      this.sdk.bindSocial(session.device(), step.state_token, body.mobile, body.verify_code),
    );
  }

  @Post('social/register-bind')
  @RateLimit('register')
  @HttpCode(200)
  @RequiresStep('SOCIAL_BIND')
  @AuthWrite('Register a new user and bind the social account', ...LOGIN_ERRORS)
  @ApiOkResponse({ type: SessionViewSchema, description: 'The session view (section 3).' })
  registerBindSocial(
    @CurrentSession() session: SessionHandle,
    @Body() body: BindSocialDto,
  ): Promise<SessionView> {
    const step = livePending(session.data, Date.now())!;
    return this.login.attempt(session, step.login_method, () =>
      this.sdk.registerBindSocial(
        session.device(),
        step.state_token,
        body.mobile,
        body.verify_code,
      ),
    );
  }
}
