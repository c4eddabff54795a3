import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Dispatcher } from 'undici';
import { request } from 'undici';
import { UpstreamError } from '../../common/errors/app-error';
import { UPSTREAM_DISPATCHER } from '../../common/http/upstream-http.module';
import { Metrics } from '../metrics/metrics';
import { ONEACCESS_ENDPOINT, OneAccessEndpoint } from './oneaccess-endpoint';
import { contractCodeFor } from './oneaccess-errors';
import { isObject } from './oneaccess-answer';
import { isUndiciTimeout } from '../../common/http/http-facts';
import { activeTracing } from '../../common/tracing/tracing';
import type { Span } from '@opentelemetry/api';
import { endFailed, OneAccessSpans } from './oneaccess-spans';

/**
 * OneAccess has two error body shapes (docs/oneaccess.md section 9.1): `{error_code, error_msg}`
 * (SDK, SSO, tenant) and `{error, error_description}` (OAuth). The call's documented one is read
 * first, but either is accepted on any call: instances of the same API family mix them.
 */
export type ErrorShape = 'sdk' | 'oauth';

export interface OneAccessCall {
  method: 'GET' | 'POST' | 'PUT';
  /** Path and query, e.g. `/api/v2/sdk/login`. */
  path: string;
  /**
   * Another origin of OneAccess's than the base URL (a JWKS the discovery document or
   * OAUTH_JWKS_URL places elsewhere); the same timeouts and error mapping apply.
   */
  origin?: string;
  /**
   * The metrics label when the path carries an id, e.g. `/api/v2/tenant/users/{user_id}`;
   * otherwise the path without its query is the label.
   */
  endpoint?: string;
  headers?: Record<string, string>;
  /** Sent as `application/json;charset=utf8`, exactly as the OneAccess docs write it. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded` (tenant token, OAuth token). */
  form?: Record<string, string>;
  /** `json`: a JSON object is expected; `none`: a bare or empty string body (sms/send, logout...). */
  expect: 'json' | 'none';
  errorShape?: ErrorShape;
}

const UPSTREAM = 'oneaccess';
const MAX_BODY_BYTES = 1024 * 1024;
/** Metric labels are bounded: a caller that forgot `endpoint` on an id path cannot explode them. */
const MAX_ENDPOINT_LABELS = 64;

/**
 * The one place that talks HTTP to OneAccess: timeouts, body limits, and the translation of
 * every failure into an UpstreamError, and the latency and error metrics by endpoint. The typed
 * clients (the three SDK clients, SsoClient, OAuthClient) build on it; nothing else uses it.
 */
@Injectable()
export class OneAccessTransport {
  private readonly logger = new Logger('OneAccess');
  /** Each call's client span, with tracing on (docs/api.md section 7). */
  private readonly spans: OneAccessSpans | undefined;

  constructor(
    @Inject(UPSTREAM_DISPATCHER) private readonly dispatcher: Dispatcher,
    @Inject(ONEACCESS_ENDPOINT) private readonly endpoint: OneAccessEndpoint,
    @Optional() private readonly metrics?: Metrics,
  ) {
    const tracing = activeTracing();
    if (tracing) this.spans = new OneAccessSpans(tracing.tracer, endpoint.baseUrl);
  }

  private readonly endpointLabels = new Set<string>();

  private labelOf(call: OneAccessCall, pathOnly: string): string {
    const label = call.endpoint ?? pathOnly;
    if (this.endpointLabels.has(label)) return label;
    if (this.endpointLabels.size >= MAX_ENDPOINT_LABELS) return 'other';
    this.endpointLabels.add(label);
    return label;
  }

  /** Counts a failed call by kind, from the error it becomes. */
  private countError(label: string, err: UpstreamError): void {
    const kind =
      err.code === 'UPSTREAM_TIMEOUT'
        ? 'timeout'
        : err.code === 'UPSTREAM_UNAVAILABLE'
          ? 'unavailable'
          : err.code === 'UPSTREAM_BAD_RESPONSE'
            ? 'bad_response'
            : null;
    // A refusal with OneAccess's own error code (a wrong password) is an answer, not an error.
    if (kind) this.metrics?.oneAccessErrors.get(label, kind).inc();
  }

  /**
   * @throws UpstreamError UPSTREAM_TIMEOUT, UPSTREAM_UNAVAILABLE, UPSTREAM_BAD_RESPONSE, or the
   * contract code of OneAccess's `error_code` (UPSTREAM_REJECTED, INVALID_CREDENTIALS, ...).
   */
  async call<T>(call: OneAccessCall): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
    let body: string | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json;charset=utf8';
      body = JSON.stringify(call.json);
    } else if (call.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(call.form).toString();
    }
    const started = performance.now();
    const pathOnly = call.path.split('?')[0];
    const label = this.labelOf(call, pathOnly);
    const span = this.spans?.start(call, label, headers);
    try {
      const answer = await this.exchange<T>(call, headers, body, pathOnly, span);
      span?.end();
      return answer;
    } catch (err) {
      if (err instanceof UpstreamError) this.countError(label, err);
      if (span) endFailed(span, err);
      throw err;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.metrics?.oneAccessDuration.get(label).observe(seconds);
      this.logger.debug(`${call.method} ${pathOnly} ${Math.round(seconds * 1000)}ms`);
    }
  }

  private async exchange<T>(
    call: OneAccessCall,
    headers: Record<string, string>,
    body: string | undefined,
    pathOnly: string,
    span: Span | undefined,
  ): Promise<T> {
    let status: number;
    let text: string;
    try {
      const res = await request((call.origin ?? this.endpoint.baseUrl) + call.path, {
        method: call.method,
        headers,
        body,
        dispatcher: this.dispatcher,
        // headersTimeout/bodyTimeout bound each phase; this bounds the whole call.
        signal: AbortSignal.timeout(this.endpoint.timeoutMs),
      });
      status = res.statusCode;
      span?.setAttribute('http.response.status_code', status);
      text = await readLimited(res.body);
    } catch (err) {
      throw this.transportError(err, call.method, pathOnly);
    }
    if (status >= 200 && status < 300) return this.parseSuccess<T>(call, status, text);
    throw this.httpError(call.errorShape ?? 'sdk', status, text);
  }

  private parseSuccess<T>(call: OneAccessCall, status: number, text: string): T {
    if (call.expect === 'none') return undefined as T;
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null) return value as T;
    } catch {
      // fall through: a 2xx that is not a JSON object is a broken answer
    }
    throw new UpstreamError('UPSTREAM_BAD_RESPONSE', UPSTREAM, undefined, {
      upstreamStatus: status,
    });
  }

  private httpError(shape: ErrorShape, status: number, text: string): UpstreamError {
    if (status >= 500 || status === 429) {
      return new UpstreamError('UPSTREAM_UNAVAILABLE', UPSTREAM, undefined, {
        upstreamStatus: status,
      });
    }
    let parsed: Record<string, unknown> = {};
    try {
      const value: unknown = JSON.parse(text);
      if (isObject(value)) parsed = value;
    } catch {
      // handled below: no code means a bad response
    }
    const [code, message] = errorFields(parsed, shape);
    if (code === undefined) {
      return new UpstreamError('UPSTREAM_BAD_RESPONSE', UPSTREAM, undefined, {
        upstreamStatus: status,
      });
    }
    return new UpstreamError(contractCodeFor(code), UPSTREAM, message, {
      upstreamCode: code,
      upstreamStatus: status,
    });
  }

  private transportError(err: unknown, method: string, path: string | undefined): UpstreamError {
    const e = err as { code?: string; name?: string };
    if (e.code === 'BFF_BODY_TOO_LARGE')
      return new UpstreamError('UPSTREAM_BAD_RESPONSE', UPSTREAM);
    const timedOut = e.name === 'TimeoutError' || isUndiciTimeout(err);
    if (!timedOut && e.code === undefined && e.name !== 'AbortError') {
      // Not a network failure (e.g. a header undici refuses): a bug of ours, keep it loud.
      this.logger.error(`${method} ${path} failed before reaching OneAccess: ${String(err)}`);
    }
    return new UpstreamError(
      timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE',
      UPSTREAM,
      undefined,
      {
        cause: err,
      },
    );
  }
}

/** The code and message of an error body of either shape, the documented one for the call first. */
function errorFields(
  body: Record<string, unknown>,
  documented: ErrorShape,
): [code: string | undefined, message: string | undefined] {
  const sdk = [body.error_code, body.error_msg];
  const oauth = [body.error, body.error_description];
  for (const [code, message] of documented === 'sdk' ? [sdk, oauth] : [oauth, sdk]) {
    if (typeof code === 'string' && code !== '') {
      return [code, typeof message === 'string' && message !== '' ? message : undefined];
    }
  }
  return [undefined, undefined];
}

async function readLimited(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw Object.assign(new Error('OneAccess answer too large'), { code: 'BFF_BODY_TOO_LARGE' });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
