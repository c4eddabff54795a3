import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toErrorResponse, writeErrorResponse } from '../../common/errors/error-response';
import { hasBody } from '../../common/http/http-facts';
import { requestIdReader } from '../../common/logging/logger.options';
import { RequestLineSink, RequestLineWriter } from '../../common/logging/request-line-writer';
import { applySecurityHeaders, withSecurityHeaders } from '../../common/security/security-headers';
import type { Credential, StoredCredential } from '../../common/session/credential';
import { SessionCookieReader } from '../../common/session/session-cookie';
import { appConfig } from '../../config/app.config';
import { Metrics } from '../metrics/metrics';
import { CredentialService } from '../tokens/credential.service';
import { ANONYMOUS_VIEW, sessionViewOf } from './session-view';

const PATH = '/auth/session';
/** The query strings the fast path answers; anything else (400 cases included) goes to Nest. */
const QUERIES = new Map([
  ['', false],
  ['?slide=true', false],
  ['?slide=false', true],
]);
const ANONYMOUS_BODY = JSON.stringify(ANONYMOUS_VIEW);

/**
 * `GET /auth/session` on the raw Node request ahead of Express, like the relay: SPAs poll it, so
 * it is the second hot path. A signed-in session costs one GET of the credential record (plus
 * the activity write at most once per touch interval, none with `?slide=false`); a missing or
 * forged cookie is anonymous without touching Redis. Every other case (no credential record,
 * a timed-out session to end, a pending step, an unusual query) is handed to the Nest route,
 * which reads express-session's record and answers exactly as before.
 */
@Injectable()
export class SessionViewHandler {
  private readonly requestLine: RequestLineSink;
  private readonly requestIdOf: (req: IncomingMessage) => string;
  /**
   * The view's body per credential record: the store hands out the same (frozen) record while
   * its bytes in Redis are unchanged, so polling an unchanged session reuses the body; a changed
   * record is a new object, and the old one's body goes with it.
   */
  private readonly bodies = new WeakMap<Credential, string>();

  constructor(
    private readonly credentials: CredentialService,
    private readonly metrics: Metrics,
    private readonly cookies: SessionCookieReader,
    requestLines: RequestLineWriter,
    @Inject(appConfig.KEY) app: ConfigType<typeof appConfig>,
  ) {
    this.requestIdOf = requestIdReader(app.trustProxy);
    this.requestLine = requestLines.for('session_view');
  }

  /** True for the requests this handler may answer (it can still hand them to Nest). */
  matches(req: IncomingMessage): boolean {
    const url = req.url ?? '';
    return (
      req.method === 'GET' &&
      url.startsWith(PATH) &&
      QUERIES.has(url.slice(PATH.length)) &&
      !hasBody(req)
    );
  }

  /** Answers, or calls `fallback` (the Express app) before writing anything. */
  handle(req: IncomingMessage, res: ServerResponse, fallback: () => void): void {
    const started = performance.now();
    const sid = this.cookies.sessionId(req.headers.cookie);
    // No genuine cookie: express-session would start an empty session and save nothing.
    if (!sid) return this.answer(req, res, started, ANONYMOUS_BODY);
    this.signedIn(sid, QUERIES.get(req.url!.slice(PATH.length))!).then(
      (body) => (body === null ? fallback() : this.answer(req, res, started, body)),
      (err: unknown) => {
        const requestId = this.requestIdOf(req);
        applySecurityHeaders(res, requestId);
        writeErrorResponse(res, toErrorResponse(err, requestId, req.headers['accept-language']));
        this.log(req, res, started, requestId);
      },
    );
  }

  /** The signed-in view's body, or null when Nest must decide. @throws SESSION_STORE_UNAVAILABLE */
  private async signedIn(sid: string, polling: boolean): Promise<string | null> {
    let stored: StoredCredential | null = await this.credentials.get(sid);
    const now = Date.now();
    if (!stored || this.credentials.hasTimedOut(stored.credential, now)) return null;
    if ((stored.credential.pending_until ?? 0) > now) return null;
    if (!polling && this.credentials.activityDue(stored.credential, now))
      stored = await this.credentials.recordActivity(sid, stored, now);
    const { credential } = stored;
    let body = this.bodies.get(credential);
    if (body === undefined) {
      // Without a pending step (checked above) the view depends on the record alone.
      const expiry = this.credentials.expiry(credential);
      body = JSON.stringify(sessionViewOf({}, { credential, ...expiry }, now));
      this.bodies.set(credential, body);
    }
    return body;
  }

  private answer(req: IncomingMessage, res: ServerResponse, started: number, body: string): void {
    const requestId = this.requestIdOf(req);
    res.writeHead(
      200,
      withSecurityHeaders(
        {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        },
        requestId,
      ),
    );
    res.end(body);
    this.log(req, res, started, requestId);
  }

  /**
   * The request line and the /auth metric, as the Nest route would have them
   * (CONTRIBUTING.md section 10).
   */
  private log(req: IncomingMessage, res: ServerResponse, started: number, requestId: string): void {
    this.metrics.authRequests.get(PATH, String(res.statusCode)).inc();
    this.requestLine({
      request_id: requestId,
      method: req.method,
      path: PATH,
      status: res.statusCode,
      ms: Math.round(performance.now() - started),
      route: PATH,
    });
  }
}
