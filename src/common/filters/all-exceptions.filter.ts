import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toErrorResponse, writeErrorResponse } from '../errors/error-response';
import { requestIdOf } from '../logging/logger.options';

/**
 * The one HTTP error mapper (CONTRIBUTING.md section 6): everything thrown in a controller, guard,
 * pipe or middleware ends here and leaves as the contract's JSON error. Logs once, with the
 * request id; never echoes an upstream body or a stack to the client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Error');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const response = toErrorResponse(exception, requestIdOf(req), req.headers['accept-language']);
    if (response.unexpected) {
      this.logger.error({ err: exception, path: req.path }, 'unexpected error');
    } else if (response.status >= 500) {
      // Outages (store, upstream) matter to operators; the cause says which dependency failed.
      const cause = (exception as { cause?: { message?: string; code?: string } }).cause;
      this.logger.warn({
        code: response.body.code,
        cause: cause?.code ?? cause?.message,
        path: req.path,
      });
    }
    writeErrorResponse(res, response);
  }
}
