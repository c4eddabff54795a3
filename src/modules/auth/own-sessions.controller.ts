import { Controller, Delete, Get, HttpCode, Param, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthRead, AuthWrite } from './auth-docs.decorator';
import { AuthStateGuard, RequiresLogin } from './auth-state.guard';
import { OwnSessionView } from './auth.types';
import { CurrentSession } from './current-session.decorator';
import { OwnSessionsSchema, SessionsEndedSchema } from './own-sessions.schemas';
import { OwnSessionsService } from './own-sessions.service';
import { SessionHandle } from './session-handle';

/** The signed-in user's own sessions ("Your devices"), docs/api.md section 4. */
@ApiTags('account')
@Controller('auth')
@UseGuards(AuthStateGuard)
export class OwnSessionsController {
  constructor(private readonly sessions: OwnSessionsService) {}

  @Get('sessions')
  @RequiresLogin()
  @AuthRead("The caller's signed-in sessions, newest first")
  @ApiOkResponse({ type: OwnSessionsSchema, description: 'The live sessions.' })
  list(@CurrentSession() session: SessionHandle): Promise<{ sessions: OwnSessionView[] }> {
    return this.sessions.list(session);
  }

  /** Any id that is not one of the caller's live sessions, malformed or not, is 404. */
  @Delete('sessions/:id')
  @HttpCode(204)
  @RequiresLogin()
  @AuthWrite('End one of your sessions (and its OneAccess session, best effort)', 'NOT_FOUND')
  @ApiParam({ name: 'id', description: 'A session ref from GET /auth/sessions.' })
  @ApiNoContentResponse({ description: 'Ended.' })
  async end(@CurrentSession() session: SessionHandle, @Param('id') id: string): Promise<void> {
    await this.sessions.end(session, id);
  }

  @Delete('sessions')
  @HttpCode(200)
  @RequiresLogin()
  @AuthWrite('End every other session of yours; this one stays')
  @ApiOkResponse({ type: SessionsEndedSchema, description: 'How many were ended.' })
  async endOthers(@CurrentSession() session: SessionHandle): Promise<{ ended: number }> {
    return { ended: await this.sessions.endOthers(session) };
  }
}
