import { Agent } from 'undici';
import { withoutCredentials } from '../../config/secrets';
import type { TracesExport, TracingConfig } from '../../config/tracing.config';
import { describeNetworkError, fetchOnce, PlainRequest, TlsHints } from './doctor-http';
import { CheckResult, fail, ok, warn } from './doctor.types';

const NAME = 'tracing';

/** As long as the doctor waits for a relay target: enough to tell "answers" from "nothing there". */
const RECEIVER_TIMEOUT_MS = 5000;

/** Why a receiver that is down is a warning, not a failure. */
const DROPPED =
  ': the gateway still serves, but its spans are dropped until the receiver takes them';

/**
 * An empty ExportTraceServiceRequest in the configured encoding: zero bytes in protobuf, `{}` in
 * OTLP/JSON. A receiver takes it as an export of no spans, so the probe adds nothing to any trace.
 */
const EMPTY_EXPORT = {
  'http/protobuf': { contentType: 'application/x-protobuf', body: '' },
  'http/json': { contentType: 'application/json', body: '{}' },
} as const;

/**
 * `tracing`: whether the OTLP receiver takes the gateway's spans (docs/api.md section 7). With
 * tracing on, posts an empty export where and as the exporter would: same URL, encoding and
 * headers. A refusal of the credentials or a wrong path fails, since every span would be lost
 * for good; a receiver that is down or slow only warns, since the gateway still serves without it
 * and exports once it answers. No header value and no URL credential is ever printed.
 */
export async function checkTracing(
  cfg: TracingConfig,
  target: TracesExport | null,
): Promise<CheckResult> {
  if (!cfg.enabled || !target) {
    return ok(
      NAME,
      cfg.endpoint === null
        ? 'off (OTEL_EXPORTER_OTLP_ENDPOINT unset)'
        : 'off (OTEL_SDK_DISABLED=true)',
    );
  }
  const shown = withoutCredentials(target.url);
  const { ca, cert, key } = target.tls;
  // The exporter's own TLS: a private CA replaces the system CAs there, so it does here too.
  const dispatcher = new Agent({
    connect: { timeout: RECEIVER_TIMEOUT_MS, ca: ca?.pem, cert: cert?.pem, key: key?.pem },
  });
  let status: number;
  try {
    ({ status } = await fetchOnce(
      dispatcher,
      urlWithoutCredentials(target.url),
      RECEIVER_TIMEOUT_MS,
      emptyExport(cfg, target),
    ));
  } catch (err) {
    return warn(
      NAME,
      `cannot reach ${shown} (${describeNetworkError(err, tlsHints(target))})${DROPPED}`,
    );
  } finally {
    await dispatcher.close();
  }
  if (status >= 200 && status < 300) {
    return ok(
      NAME,
      `${shown} accepts spans (${cfg.protocol}, sampler ${cfg.sampler}, service ${cfg.serviceName})`,
    );
  }
  if (status === 401 || status === 403) return fail(NAME, refusedCredentials(status, target));
  if (status === 404) return fail(NAME, notFound(shown, target));
  const hint =
    status === 415
      ? `: the receiver may not take ${cfg.protocol}; check OTEL_EXPORTER_OTLP_PROTOCOL`
      : '';
  return warn(NAME, `${shown} answered HTTP ${status}${hint}${DROPPED}`);
}

/**
 * The probe's request, as the exporter sends it. The exporter posts with node:http, which turns
 * the URL's credentials into Basic authorization unless a header already sets it; undici would
 * drop them silently, so the probe sets the header itself.
 */
function emptyExport(cfg: TracingConfig, target: TracesExport): PlainRequest {
  const { contentType, body } = EMPTY_EXPORT[cfg.protocol];
  const headers: Record<string, string> = { ...target.headers, 'content-type': contentType };
  const url = new URL(target.url);
  const hasAuthorization = Object.keys(headers).some((h) => h.toLowerCase() === 'authorization');
  if ((url.username || url.password) && !hasAuthorization) {
    const user = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(user).toString('base64')}`;
  }
  return { method: 'POST', headers, body };
}

/**
 * TLS advice in the exporter's own variables, which are what the operator can change for it.
 * Over https a closed connection gets the client-certificate advice too (see TlsHints.closed).
 */
function tlsHints({ url, tls }: TracesExport): TlsHints {
  const clientCertificate = tls.cert
    ? `check ${tls.cert.variable} (${tls.cert.path}) and its key`
    : 'it may want a client certificate: set OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY';
  return {
    trust: tls.ca
      ? `check ${tls.ca.variable} (${tls.ca.path}), which replaces the system CAs`
      : 'add its CA with OTEL_EXPORTER_OTLP_CERTIFICATE (or NODE_EXTRA_CA_CERTS)',
    clientCertificate,
    closed: url.startsWith('https:')
      ? `the receiver closed the connection; ${clientCertificate}`
      : undefined,
  };
}

function urlWithoutCredentials(raw: string): string {
  const url = new URL(raw);
  url.username = '';
  url.password = '';
  return url.toString();
}

function refusedCredentials(status: number, target: TracesExport): string {
  if (target.headerVariables.length === 0)
    return `the receiver wants credentials (HTTP ${status}) and none are set: set OTEL_EXPORTER_OTLP_HEADERS (e.g. its API key header)`;
  return `the receiver refused the credentials (HTTP ${status}): check ${target.headerVariables.join(' and ')}`;
}

/** A 404 is most often a base endpoint that already ends in /v1/traces. */
function notFound(shown: string, target: TracesExport): string {
  const doubled = /\/v1\/traces\/v1\/traces$/.test(target.url);
  const fix =
    target.urlVariable === 'OTEL_EXPORTER_OTLP_ENDPOINT'
      ? doubled
        ? 'OTEL_EXPORTER_OTLP_ENDPOINT already ends in /v1/traces: set it to the receiver base URL (the gateway adds /v1/traces)'
        : 'set OTEL_EXPORTER_OTLP_ENDPOINT to the receiver base URL (the gateway adds /v1/traces), or the full URL in OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
      : 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as given: set it to the full traces URL (usually ending in /v1/traces)';
  return `nothing at ${shown} (HTTP 404), where the gateway posts its spans: ${fix}`;
}
