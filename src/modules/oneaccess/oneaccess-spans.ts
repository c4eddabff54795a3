import { Span, SpanKind, SpanStatusCode, Tracer } from '@opentelemetry/api';
import { UpstreamError } from '../../common/errors/app-error';
import { underRequest } from '../../common/tracing/server-span';
import { serverAddress } from '../../common/tracing/server-address';
import { injectTraceHeaders } from '../../common/tracing/trace-headers';
import type { OneAccessCall } from './oneaccess-transport';

/**
 * The client span of each OneAccess call, a child of the request it serves (the login's, the
 * token refresh's), and the `traceparent` OneAccess receives names it. Named by the call's
 * endpoint template (`POST /api/v2/sdk/login`, `GET /api/v2/tenant/users/{user_id}`): no query
 * string, no id, no header and no body reach a span, so no password, code or token can.
 */
export class OneAccessSpans {
  private readonly server: URL;

  constructor(
    private readonly tracer: Tracer,
    baseUrl: string,
  ) {
    this.server = new URL(baseUrl);
  }

  /** Begins the call's span under the request's and sets its trace headers on `headers`. */
  start(call: OneAccessCall, template: string, headers: Record<string, string>): Span {
    const server = call.origin ? new URL(call.origin) : this.server;
    const span = this.tracer.startSpan(
      `${call.method} ${template}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': call.method,
          'url.template': template,
          ...serverAddress(server),
          'peer.service': 'oneaccess',
        },
      },
      underRequest(),
    );
    injectTraceHeaders(span, headers);
    return span;
  }
}

/**
 * Ends a failed call's span: the contract code it became (INVALID_CREDENTIALS, UPSTREAM_TIMEOUT)
 * as `error.type`; an error status only when OneAccess failed, not when it refused (a wrong
 * password is an answer). The error's message is not recorded: it may quote OneAccess's.
 */
export function endFailed(span: Span, err: unknown): void {
  const code = err instanceof UpstreamError ? err.code : 'internal';
  span.setAttribute('error.type', code);
  if (
    !(err instanceof UpstreamError) ||
    code === 'UPSTREAM_TIMEOUT' ||
    code === 'UPSTREAM_UNAVAILABLE' ||
    code === 'UPSTREAM_BAD_RESPONSE'
  )
    span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
