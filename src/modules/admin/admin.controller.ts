import { Controller, Delete, Get, HttpCode, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ErrorCode } from '../../common/errors/app-error';
import { ADMIN_BEARER_SCHEME } from '../../common/security/api-security.decorator';
import { AdminGuard } from './admin.guard';
import { AdminService, AdminSessionView } from './admin.service';
import { AdminSessionsSchema } from './admin.schemas';
import { ListSessionsDto, SessionIdParams, UserIdParams } from './dto/list-sessions.dto';

/**
 * What every /admin call can answer: 401 for a missing or wrong token, 404 when ADMIN_TOKEN is
 * unset (the admin API does not exist), 400 for bad parameters, 503 when Redis is down.
 */
const ADMIN_ERRORS: ErrorCode[] = [
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  'SESSION_STORE_UNAVAILABLE',
  'INTERNAL',
];

/** Operators' session control; bearer-authenticated, so no cookie and no CSRF header. */
@ApiTags('admin')
@ApiBearerAuth(ADMIN_BEARER_SCHEME)
@Controller('admin')
@UseGuards(AdminGuard)
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('sessions')
  @ApiOperation({ summary: "A user's live sessions" })
  @ApiOkResponse({ type: AdminSessionsSchema, description: 'The live sessions.' })
  @ApiErrors(...ADMIN_ERRORS)
  list(@Query() query: ListSessionsDto): Promise<{ sessions: AdminSessionView[] }> {
    return this.admin.list(query.user_id);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'End one session (and its OneAccess session, best effort)' })
  @ApiNoContentResponse({ description: 'Ended.' })
  @ApiErrors(...ADMIN_ERRORS)
  async end(@Param() params: SessionIdParams): Promise<void> {
    await this.admin.end(params.id);
  }

  @Delete('users/:user_id/sessions')
  @HttpCode(204)
  @ApiOperation({
    summary: 'End every session of a user (and their OneAccess sessions, best effort)',
  })
  @ApiNoContentResponse({ description: 'Ended (also when there was none).' })
  @ApiErrors(...ADMIN_ERRORS)
  async endAll(@Param() params: UserIdParams): Promise<void> {
    await this.admin.endAll(params.user_id);
  }
}
