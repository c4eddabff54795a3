import { Dispatcher, request } from 'undici';

/** An answer of {@link fetchOnce}: status, headers that matter here, and up to 256 KiB of body. */
export interface PlainAnswer {
  status: number;
  location?: string;
  text: string;
  ms: number;
}

const MAX_BODY_BYTES = 256 * 1024;

/** A request other than the default GET: a probe that posts (the OTLP receiver's). */
export interface PlainRequest {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

/**
 * One GET (or `send`) without following redirects, bounded by `timeoutMs`, for the documents
 * the typed clients do not fetch (discovery, JWKS, the authorize page). TLS is verified
 * (undici's default).
 * @throws the undici error (its `code` says why: ECONNREFUSED, CERT_HAS_EXPIRED, ...).
 */
export async function fetchOnce(
  dispatcher: Dispatcher,
  url: string,
  timeoutMs: number,
  send?: PlainRequest,
): Promise<PlainAnswer> {
  const started = performance.now();
  const res = await request(url, {
    method: send?.method ?? 'GET',
    headers: send?.headers ?? { accept: 'application/json, text/html;q=0.9' },
    body: send?.body,
    dispatcher,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) break;
    chunks.push(chunk);
  }
  res.body.destroy();
  const location = res.headers.location;
  return {
    status: res.statusCode,
    location: Array.isArray(location) ? location[0] : location,
    text: Buffer.concat(chunks).toString('utf8'),
    ms: performance.now() - started,
  };
}

/** The JSON object in `text`, or undefined. */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** What to tell the operator to do about a TLS failure, where a caller has its own setting for it. */
export interface TlsHints {
  /** An untrusted certificate: how to trust its CA. */
  trust?: string;
  /** A handshake the server refused: how to present a client certificate. */
  clientCertificate?: string;
  /**
   * What a connection the server closed means, for a caller that knows (a TLS 1.3 server that
   * wants a client certificate refuses it after the handshake: the client sees only the close).
   * Without it a close is its bare code.
   */
  closed?: string;
}

const DEFAULT_TLS_HINTS: Required<Omit<TlsHints, 'closed'>> = {
  trust: 'add its CA with NODE_EXTRA_CA_CERTS',
  clientCertificate: 'it may want a client certificate',
};

/** A network failure in operator terms: the undici / OpenSSL code and what it usually means. */
export function describeNetworkError(err: unknown, hints: TlsHints = {}): string {
  const { trust, clientCertificate } = { ...DEFAULT_TLS_HINTS, ...hints };
  const e = err as { code?: string; name?: string; message?: string; cause?: unknown };
  const cause = e.cause as { code?: string; message?: string } | undefined;
  const code = cause?.code ?? e.code;
  if (
    e.name === 'TimeoutError' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT'
  )
    return 'no answer in time';
  // An alert is the server's verdict on this side's certificate, not ours on its: tested first,
  // since ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED also says CERT.
  if (
    code &&
    /ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|HANDSHAKE_FAILURE)/.test(code)
  )
    return `the server refused the TLS handshake (${code}): ${clientCertificate}`;
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME/i.test(code))
    return `TLS verification failed (${code}): the certificate is not trusted for this host; fix it or ${trust}`;
  if (hints.closed && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET'))
    return `${code}: ${hints.closed}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `${code}: the host name does not resolve`;
  if (code) return code;
  return cause?.message ?? e.message ?? String(err);
}
