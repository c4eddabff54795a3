import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  UseGuards,
} from '@nestjs/common';
import { AccountService } from './account.service';
import { AuthStateGuard, RequiresLogin } from './auth-state.guard';
import { ProfileView, SocialAccountView } from './auth.types';
import { CurrentSession } from './current-session.decorator';
import { SocialAccountParams } from './dto/unbind-social.dto';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { SessionHandle } from './session-handle';

/** The signed-in user's own account, and logout (bff-api.md section 4). */
@Controller('auth')
@UseGuards(AuthStateGuard)
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @Get('profile')
  @RequiresLogin()
  profile(@CurrentSession() session: SessionHandle): Promise<ProfileView> {
    return this.account.profile(session);
  }

  @Patch('profile')
  @RequiresLogin()
  updateProfile(
    @CurrentSession() session: SessionHandle,
    @Body() body: UpdateProfileDto,
  ): Promise<ProfileView> {
    return this.account.updateProfile(session, body);
  }

  @Get('social/accounts')
  @RequiresLogin()
  socialAccounts(
    @CurrentSession() session: SessionHandle,
  ): Promise<{ accounts: SocialAccountView[] }> {
    return this.account.socialAccounts(session);
  }

  @Delete('social/accounts/:id')
  @HttpCode(204)
  @RequiresLogin()
  async unbind(
    @CurrentSession() session: SessionHandle,
    @Param() params: SocialAccountParams,
  ): Promise<void> {
    await this.account.unbind(session, params.id);
  }

  /** Answers 200 even when OneAccess is down; the browser is told to drop its cookies. */
  @Post('logout')
  @HttpCode(200)
  @Header('Clear-Site-Data', '"cookies"')
  logout(
    @CurrentSession() session: SessionHandle,
  ): Promise<{ logged_out: true; logout_url?: string }> {
    return this.account.logout(session);
  }
}
