import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac } from 'node:crypto';
import { loadLoggingConfig, LoggingConfig, loggingConfig } from '../../config/logging.config';
import { sessionConfig } from '../../config/session.config';
import type { DestinationStream } from 'pino';
import { BatchedDestination } from '../logging/batched-destination';
import { LOG_DESTINATION } from '../logging/log-destination';
import { requestSpan } from '../tracing/server-span';

/** The security events operators must be able to follow (docs/security.md check 47). */
export type AuditEvent =
  | 'login_success'
  | 'login_failure'
  | 'login_step_required'
  | 'logout'
  | 'token_refreshed'
  | 'refresh_failed'
  | 'refresh_refused'
  | 'session_expired'
  | 'session_revoked'
  | 'session_evicted'
  | 'csrf_rejected'
  | 'session_rejected'
  | 'rate_limited'
  | 'login_protected'
  | 'admin_auth_failed';

/**
 * The request id of work that runs outside Express (the relay, ahead of it), so audit lines
 * raised deep inside it (a token refresh) still name their request: run the request's work in
 * `auditRequestContext.run({ requestId }, ...)`. Inside Express, nestjs-pino adds `request_id` itself.
 */
export const auditRequestContext = new AsyncLocalStorage<{ requestId: string }>();

/** Who an event is about, in clear: AuditLog writes only keyed hashes of these. */
export interface AuditSubject {
  /** The user id, or for a failed login the account name or mobile that was tried. */
  user?: string;
  /** The client address (as TRUST_PROXY resolves it). */
  client?: string;
}

/**
 * One structured line per security event: `audit` names it, `at` is UTC, `session` is a keyed
 * hash of the session id (so events of one session correlate without the id itself appearing,
 * docs/security.md 15); `user` and `client` are keyed hashes of the user (or attempted account) and of
 * the client address, under the log pseudonym key (LOG_HASH_KEY), which outlives SESSION_SECRETS
 * rotations so one user's events correlate across them. Inside a request the line also carries the request id (nestjs-pino binds it);
 * code outside Express passes `request_id` itself or runs in {@link auditRequestContext}. Never a
 * password, code, token or session id. Each line is written out synchronously before `record`
 * returns, so no exit, kill included, loses one that was recorded.
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger('Audit');
  private readonly salt: string;
  private readonly pseudonymKey: Buffer;

  constructor(
    @Inject(sessionConfig.KEY) cfg: ConfigType<typeof sessionConfig>,
    @Optional() @Inject(loggingConfig.KEY) logging?: LoggingConfig,
    @Optional() @Inject(LOG_DESTINATION) private readonly destination?: DestinationStream,
  ) {
    // Derived from the signing secret: stable across instances, useless to anyone without it.
    this.salt = createHmac('sha256', cfg.secrets[0]).update('audit-session-hash').digest('hex');
    this.pseudonymKey = (logging ?? loadLoggingConfig({})).hashKey;
  }

  record(
    event: AuditEvent,
    fields: Record<string, unknown> = {},
    sessionId?: string,
    subject: AuditSubject = {},
  ): void {
    const outside = auditRequestContext.getStore();
    // With tracing on, the span the event happened in (docs/api.md section 7); off, there is none.
    const span = requestSpan()?.spanContext();
    const line = {
      audit: event,
      at: new Date().toISOString(),
      ...(outside ? { request_id: outside.requestId } : {}),
      ...(span ? { trace_id: span.traceId, span_id: span.spanId } : {}),
      ...fields,
      session: sessionId ? this.sessionHash(sessionId) : undefined,
      user: subject.user ? this.pseudonym(subject.user) : fields.user,
      client: subject.client ? this.pseudonym(subject.client) : fields.client,
    };
    if (
      event === 'login_failure' ||
      event.startsWith('refresh_') ||
      event === 'csrf_rejected' ||
      event === 'rate_limited' ||
      event === 'login_protected' ||
      event === 'admin_auth_failed'
    ) {
      this.logger.warn(line);
    } else {
      this.logger.log(line);
    }
    // Not left in the 250 ms batch: a worker killed right after must not lose its audit lines.
    if (this.destination instanceof BatchedDestination) this.destination.flushDurably();
  }

  /**
   * A short keyed hash of a user id, account name or client address for log lines: stable across
   * instances and SESSION_SECRETS rotations, meaningless without the key.
   */
  pseudonym(value: string): string {
    return createHmac('sha256', this.pseudonymKey).update(value).digest('base64url').slice(0, 16);
  }

  /** A short keyed hash of a session id, for logs and the admin API. */
  sessionHash(sessionId: string): string {
    return createHmac('sha256', this.salt).update(sessionId).digest('base64url').slice(0, 16);
  }
}
