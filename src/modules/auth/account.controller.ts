import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccountService } from './account.service';
import { ClearSiteDataInterceptor } from './clear-site-data.interceptor';
import { AuthRead, AuthWrite, ONEACCESS_ERRORS } from './auth-docs.decorator';
import { AuthStateGuard, RequiresLogin } from './auth-state.guard';
import { LogoutSchema, ProfileSchema, SocialAccountsSchema } from './auth.schemas';
import { ProfileView, SocialAccountView } from './auth.types';
import { CurrentSession } from './current-session.decorator';
import { SocialAccountParams } from './dto/unbind-social.dto';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { SessionHandle } from './session-handle';

/** The signed-in user's own account, and logout (docs/api.md section 4). */
@ApiTags('account')
@Controller('auth')
@UseGuards(AuthStateGuard)
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @Get('profile')
  @RequiresLogin()
  @AuthRead("The user's own profile, unmasked", ...ONEACCESS_ERRORS)
  @ApiOkResponse({ type: ProfileSchema, description: 'The profile.' })
  profile(@CurrentSession() session: SessionHandle): Promise<ProfileView> {
    return this.account.profile(session);
  }

  @Patch('profile')
  @RequiresLogin()
  @AuthWrite('Change profile fields; answers the updated profile', ...ONEACCESS_ERRORS)
  @ApiOkResponse({ type: ProfileSchema, description: 'The profile.' })
  updateProfile(
    @CurrentSession() session: SessionHandle,
    @Body() body: UpdateProfileDto,
  ): Promise<ProfileView> {
    return this.account.updateProfile(session, body);
  }

  @Get('social/accounts')
  @RequiresLogin()
  @AuthRead('The social accounts bound to the user', ...ONEACCESS_ERRORS)
  @ApiOkResponse({ type: SocialAccountsSchema, description: 'The bound accounts.' })
  socialAccounts(
    @CurrentSession() session: SessionHandle,
  ): Promise<{ accounts: SocialAccountView[] }> {
    return this.account.socialAccounts(session);
  }

  @Delete('social/accounts/:id')
  @HttpCode(204)
  @RequiresLogin()
  @AuthWrite('Unbind a social account', ...ONEACCESS_ERRORS)
  @ApiNoContentResponse({ description: 'Unbound.' })
  async unbind(
    @CurrentSession() session: SessionHandle,
    @Param() params: SocialAccountParams,
  ): Promise<void> {
    await this.account.unbind(session, params.id);
  }

  /** Answers 200 even when OneAccess is down; the session cookie is always expired. */
  @Post('logout')
  @HttpCode(200)
  @UseInterceptors(ClearSiteDataInterceptor)
  @AuthWrite('Sign out (answers 200 even when OneAccess is down)')
  @ApiOkResponse({
    type: LogoutSchema,
    description: 'Signed out; the session cookie is expired with the attributes it was set with.',
    headers: {
      'Clear-Site-Data': {
        description:
          '"cookies", when LOGOUT_CLEAR_SITE_DATA is on (default: on without BASE_PATH, off ' +
          "under one, where it would also clear the other apps' cookies on the host)",
        schema: { type: 'string' },
      },
    },
  })
  logout(
    @CurrentSession() session: SessionHandle,
  ): Promise<{ logged_out: true; logout_url?: string }> {
    return this.account.logout(session);
  }
}
