import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toErrorResponse, writeErrorResponse } from '../../common/errors/error-response';
import { hasBody } from '../../common/http/http-facts';
import type { RequestContext } from '../../common/http/request-context';
import { RequestLineSink, RequestLineWriter } from '../../common/logging/request-line-writer';
import type { Credential } from '../../common/session/credential';
import { SessionCookieReader } from '../../common/session/session-cookie';
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
  ) {
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
  handle(
    req: IncomingMessage,
    res: ServerResponse,
    ctx: RequestContext,
    fallback: () => void,
  ): void {
    const sid = this.cookies.sessionId(req, ctx);
    // No genuine cookie: express-session would start an empty session and save nothing.
    if (!sid) return this.answer(res, ctx, ANONYMOUS_BODY);
    this.signedIn(sid, QUERIES.get(req.url!.slice(PATH.length))!).then(
      (body) => (body === null ? fallback() : this.answer(res, ctx, body)),
      (err: unknown) => {
        ctx.applyHeaders(res);
        writeErrorResponse(res, toErrorResponse(err, ctx.id, req.headers['accept-language']));
        this.log(res, ctx);
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

  private answer(res: ServerResponse, ctx: RequestContext, body: string): void {
    res.writeHead(
      200,
      ctx.head({
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      }),
    );
    res.end(body);
    this.log(res, ctx);
  }

  /**
   * The request line and the /auth metric, as the Nest route would have them
   * (CONTRIBUTING.md section 10).
   */
  private log(res: ServerResponse, ctx: RequestContext): void {
    this.metrics.authRequests.get(PATH, String(res.statusCode)).inc();
    ctx.writeLine(this.requestLine, res.statusCode, PATH, PATH);
  }
}
