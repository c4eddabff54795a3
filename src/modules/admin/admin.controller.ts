import { Controller, Delete, Get, HttpCode, Param, Query, UseGuards } from '@nestjs/common';
import { AdminGuard } from './admin.guard';
import { AdminService, AdminSessionView } from './admin.service';
import { ListSessionsDto, SessionIdParams, UserIdParams } from './dto/list-sessions.dto';

/** Operators' session control; bearer-authenticated, so no cookie and no CSRF header. */
@Controller('admin')
@UseGuards(AdminGuard)
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('sessions')
  list(@Query() query: ListSessionsDto): Promise<{ sessions: AdminSessionView[] }> {
    return this.admin.list(query.user_id);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  async end(@Param() params: SessionIdParams): Promise<void> {
    await this.admin.end(params.id);
  }

  @Delete('users/:user_id/sessions')
  @HttpCode(204)
  async endAll(@Param() params: UserIdParams): Promise<void> {
    await this.admin.endAll(params.user_id);
  }
}
