import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { catchError, mergeMap, Observable } from 'rxjs';
import { AppError } from '../errors/app-error';
import { Outcome, RateLimitService } from './rate-limit.service';

function outcomeOf(err: unknown): Outcome {
  return err instanceof AppError && err.code === 'INVALID_CREDENTIALS'
    ? 'invalid-credentials'
    : 'other-error';
}

/**
 * Tells the rate limits how the handler ended, so per-account counters keep only failed
 * credential checks and the SMS counter only sent messages. Sees validation errors too (pipes
 * run inside interceptors). Waits for the settlement before answering, so a client's next
 * request already sees the corrected count.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(private readonly rateLimits: RateLimitService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        await this.rateLimits.settle(req, 'success');
        return value;
      }),
      catchError(async (err: unknown) => {
        await this.rateLimits.settle(req, outcomeOf(err));
        throw err;
      }),
    );
  }
}
