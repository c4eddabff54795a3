import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toErrorResponse, writeErrorResponse } from '../../common/errors/error-response';
import { hasBody } from '../../common/http/http-facts';
import { requestIdReader } from '../../common/logging/logger.options';
import { RequestLineSink, RequestLineWriter } from '../../common/logging/request-line-writer';
import { applySecurityHeaders, withSecurityHeaders } from '../../common/security/security-headers';
import type { Credential } from '../../common/session/credential';
import { SessionCookieReader } from '../../common/session/session-cookie';
import { appConfig } from '../../config/app.config';
import { Metrics } from '../metrics/metrics';
import { CredentialService } from '../tokens/credential.service';
import { ANONYMOUS_VIEW, sessionViewOf, slidesIdleTimer } from './session-view';

const PATH = '/auth/session';
/**
 * The query strings the fast path answers, each with whether it slides the idle timer; anything
 * else (400 cases included) goes to Nest.
 */
const QUERIES = new Map(
  ([undefined, 'true', 'false'] as const).map((slide) => [
    slide === undefined ? '' : `?slide=${slide}`,
    slidesIdleTimer('GET', slide),
  ]),
);
const ANONYMOUS_BODY = JSON.stringify(ANONYMOUS_VIEW);

/**
 * `GET /auth/session` on the raw Node request ahead of Express, like the relay: SPAs poll it, so
 * it is the second hot path. A signed-in session costs one GET of the credential record (plus
 * the activity write at most once per touch interval, none with `?slide=false`); a missing or
 * forged cookie is anonymous without touching Redis. Expiry and activity are
 * `CredentialService.aliveOrEnd`'s, as on every path; every case it does not answer (no
 * credential record, a timed-out session to end, a pending step, an unusual query) goes to the
 * Nest route, which reads express-session's record and answers exactly as before.
 */
@Injectable()
export class SessionViewHandler {
  private readonly requestLine: RequestLineSink;
  private readonly requestIdOf: (req: IncomingMessage) => string;
  /**
   * The view's body per credential record. Sound because a record the store hands out is frozen
   * (the CredentialStore contract): an object stands for one stored state, so its body never goes
   * stale. Fast because the store usually hands out the same object while the record is
   * unchanged; a changed record is a new object, and the old one's body goes with it.
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
  private async signedIn(sid: string, slide: boolean): Promise<string | null> {
    const stored = await this.credentials.get(sid);
    if (!stored) return null;
    const now = Date.now();
    // A pending step is in express-session's record, which Nest reads (see `pending_until`).
    if ((stored.credential.pending_until ?? 0) > now) return null;
    // Timed out: not ended here but by the Nest route, whose request this is in the logs.
    let alive = this.credentials.aliveOrEnd(sid, stored, now, slide, null);
    if (alive instanceof Promise) alive = await alive;
    if (!alive) return null;
    const { credential } = alive;
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
