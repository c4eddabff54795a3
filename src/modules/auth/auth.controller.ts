import { Controller, Get, Query } from '@nestjs/common';
import { GetSessionDto } from './dto/get-session.dto';
import { SessionView } from './auth.types';
import { ANONYMOUS_VIEW } from './session-view';

/** The browser's API for signing in and out (bff-api.md section 4). */
@Controller('auth')
export class AuthController {
  /** The session view; a cookie naming no live session gets the anonymous view, never an error. */
  @Get('session')
  getSession(@Query() _query: GetSessionDto): SessionView {
    return { ...ANONYMOUS_VIEW };
  }
}
