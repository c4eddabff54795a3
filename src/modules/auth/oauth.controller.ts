import { Controller, Get, Query, Redirect, UseGuards } from '@nestjs/common';
import { ApiFoundResponse, ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { AuthRead } from './auth-docs.decorator';
import { AuthStateGuard } from './auth-state.guard';
import { CurrentSession } from './current-session.decorator';
import { OAuthCallbackDto, OAuthLoginDto } from './dto/oauth.dto';
import { OAuthLoginService } from './oauth-login.service';
import { Cookies, ResponseCookies } from './response-cookies.decorator';
import { SessionHandle } from './session-handle';

/** The OAuth2 redirect login: browser navigations, so both answer 302, never JSON. */
@ApiTags('oauth')
@Controller('auth/oauth')
@UseGuards(AuthStateGuard)
export class OAuthController {
  constructor(private readonly oauth: OAuthLoginService) {}

  @Get('login')
  @Redirect()
  @RateLimit('oauth-login')
  @AuthRead('Start the OAuth2 redirect login (a browser navigation)', 'VALIDATION_FAILED')
  @ApiFoundResponse({
    description:
      "To OneAccess's /api/v1/oauth2/authorize (at ONEACCESS_PUBLIC_URL when set) with state, " +
      'nonce, PKCE (S256) and `redirect_uri` = PUBLIC_ORIGIN + BASE_PATH + `/auth/oauth/callback`, ' +
      'the one URI to register; sets the transaction cookie `<COOKIE_NAME>-oauth`, e.g. ' +
      '`__Host-bff-oauth` (`__Secure-bff-oauth` under a BASE_PATH; state bound server-side, single ' +
      'use, 10 minutes). One record per state under one cookie value per browser, so logins started ' +
      'in several tabs each complete (up to 10 in progress per browser).',
    headers: { Location: { schema: { type: 'string', format: 'uri' } } },
  })
  async login(
    @ResponseCookies() cookies: Cookies,
    @Query() query: OAuthLoginDto,
  ): Promise<{ url: string; statusCode: number }> {
    return { url: await this.oauth.start(cookies, query.return_to), statusCode: 302 };
  }

  @Get('callback')
  @Redirect()
  @AuthRead(
    'Where OneAccess sends the browser back (a navigation, never JSON)',
    'VALIDATION_FAILED',
  )
  @ApiFoundResponse({
    description:
      'To `return_to` when signed in; to `<BASE_PATH>/?auth_error=<code>` (invalid_state, ' +
      'access_denied, login_refused, invalid_id_token, upstream_unavailable, session_unavailable) ' +
      'when anything is off. The id_token must verify against the JWKS (iss, aud, azp when aud ' +
      'names several clients, exp, nonce).',
    headers: { Location: { schema: { type: 'string', format: 'uri' } } },
  })
  async callback(
    @CurrentSession() session: SessionHandle,
    @ResponseCookies() cookies: Cookies,
    @Query() query: OAuthCallbackDto,
  ): Promise<{ url: string; statusCode: number }> {
    return { url: await this.oauth.complete(session, cookies, query), statusCode: 302 };
  }
}
