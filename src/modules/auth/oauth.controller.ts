import { Controller, Get, Query, Redirect, UseGuards } from '@nestjs/common';
import { AuthStateGuard } from './auth-state.guard';
import { CurrentSession } from './current-session.decorator';
import { OAuthCallbackDto, OAuthLoginDto } from './dto/oauth.dto';
import { OAuthLoginService } from './oauth-login.service';
import { Cookies, ResponseCookies } from './response-cookies.decorator';
import { SessionHandle } from './session-handle';

/** The OAuth2 redirect login: browser navigations, so both answer 302, never JSON. */
@Controller('auth/oauth')
@UseGuards(AuthStateGuard)
export class OAuthController {
  constructor(private readonly oauth: OAuthLoginService) {}

  @Get('login')
  @Redirect()
  async login(
    @ResponseCookies() cookies: Cookies,
    @Query() query: OAuthLoginDto,
  ): Promise<{ url: string; statusCode: number }> {
    return { url: await this.oauth.start(cookies, query.return_to), statusCode: 302 };
  }

  @Get('callback')
  @Redirect()
  async callback(
    @CurrentSession() session: SessionHandle,
    @ResponseCookies() cookies: Cookies,
    @Query() query: OAuthCallbackDto,
  ): Promise<{ url: string; statusCode: number }> {
    return { url: await this.oauth.complete(session, cookies, query), statusCode: 302 };
  }
}
