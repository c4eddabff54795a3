import { makeCertificate } from 'oneaccess-simulator';
import { mkdirSync } from 'node:fs';
import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeJsonTraces } from './otlp-json';
import { decodeProtobufTraces, encodeProtobufStatus } from './otlp-protobuf';
import { OtlpDecodeError, ReceivedSpan } from './otlp-span';
import { waitFor } from './wait-for';

export type { OtlpAttributes, OtlpValue, ReceivedEvent, ReceivedSpan } from './otlp-span';

export type OtlpProtocol = 'protobuf' | 'json';

/** One request as it reached the receiver, answered or refused. */
export interface ReceivedExport {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** From the Content-Type; undefined when it named neither OTLP encoding. */
  protocol?: OtlpProtocol;
  /** The Content-Encoding it arrived with ('' for none). */
  contentEncoding: string;
  status: number;
  spanCount: number;
  /** Why it was refused, for a test that wonders where its spans went. */
  error?: string;
}

/** What a receiver run with an API key demands, as hosted backends do. */
export interface OtlpReceiverOptions {
  /** A header every export must carry with exactly this value, else 401. */
  requireHeader?: { name: string; value: string };
  /**
   * Serve HTTPS with this certificate and key, as a collector behind a private CA does. With
   * `clientCa`, a client must present a certificate that CA issued (mutual TLS), else the
   * handshake is refused.
   */
  tls?: { cert: string; key: string; clientCa?: string };
}

/**
 * A receiver's certificate and a client's, each self-signed (so each is its own CA), in
 * subdirectories of `dir`: what a collector behind a private CA that wants mutual TLS is given.
 */
export function mutualTlsCertificates(dir: string): {
  server: ReturnType<typeof makeCertificate>;
  client: ReturnType<typeof makeCertificate>;
} {
  const [server, client] = ['server', 'client'].map((name) => {
    mkdirSync(join(dir, name));
    return makeCertificate(join(dir, name));
  });
  return { server, client };
}

/** google.rpc.Status codes: INVALID_ARGUMENT, UNAUTHENTICATED. */
const INVALID_ARGUMENT = 3;
const UNAUTHENTICATED = 16;
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/**
 * An OTLP/HTTP trace receiver on a free loopback port, in place of a collector (none can be
 * installed where the suites run). `POST /v1/traces` takes an ExportTraceServiceRequest as
 * protobuf (`application/x-protobuf`) or OTLP/JSON (`application/json`), gzip-encoded or not, and
 * answers 200 with an empty ExportTraceServiceResponse in the same encoding; a body it cannot
 * decode gets 400 with a google.rpc.Status. It records every request (headers, protocol, status),
 * every body after gunzip (`rawBodies`, for a test that greps the export for a secret), and the
 * spans, flattened (`spans`). With `requireHeader`, an export without that header and value gets
 * 401 and is not decoded.
 */
export class OtlpReceiver {
  readonly requests: ReceivedExport[] = [];
  /** Each request's body as sent, after gunzip when it was gzip-encoded. */
  readonly rawBodies: Buffer[] = [];
  private readonly received: ReceivedSpan[] = [];
  private server?: Server;
  port = 0;

  constructor(private readonly options: OtlpReceiverOptions = {}) {}

  get url(): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  get tracesUrl(): string {
    return `${this.url}/v1/traces`;
  }

  /** Every span received so far, in arrival order. */
  get spans(): ReceivedSpan[] {
    return [...this.received];
  }

  async start(): Promise<this> {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    const tls = this.options.tls;
    const server: Server = tls
      ? createTlsServer(
          {
            cert: tls.cert,
            key: tls.key,
            ca: tls.clientCa,
            requestCert: tls.clientCa !== undefined,
            rejectUnauthorized: tls.clientCa !== undefined,
          },
          handler,
        )
      : createServer(handler);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening and drops the exporters' kept-alive connections, so jest can exit. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /**
   * Waits until at least `count` received spans match `predicate`, and returns those.
   * @throws Error after `timeoutMs` with what did arrive.
   */
  async waitForSpans(
    predicate: (span: ReceivedSpan) => boolean = () => true,
    { timeoutMs = 10000, count = 1 }: { timeoutMs?: number; count?: number } = {},
  ): Promise<ReceivedSpan[]> {
    try {
      // waitFor returns only a truthy probe result: the list, never undefined.
      return (await waitFor(
        () => {
          const matching = this.received.filter(predicate);
          return matching.length >= count ? matching : undefined;
        },
        timeoutMs,
        `${count} matching span(s)`,
      )) as ReceivedSpan[];
    } catch (err) {
      const seen = this.received.map((s) => s.name).join(', ') || 'none';
      const refused = this.requests.filter((r) => r.error).map((r) => r.error);
      throw new Error(
        `${(err as Error).message}; spans received: ${seen}` +
          (refused.length ? `; exports refused: ${refused.join('; ')}` : ''),
      );
    }
  }

  /** Whether `text` occurs anywhere in what was exported (resource, scope, spans, events). */
  exportContains(text: string): boolean {
    // JSON may escape a quote, a backslash or a control character inside a string.
    const needles = [text, JSON.stringify(text).slice(1, -1)].map((t) => Buffer.from(t, 'utf8'));
    return this.rawBodies.some((body) => needles.some((needle) => body.includes(needle)));
  }

  /** Forgets every request, body and span received so far. */
  clear(): void {
    this.requests.length = 0;
    this.rawBodies.length = 0;
    this.received.length = 0;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => this.answer(req, res, Buffer.concat(chunks), size));
  }

  private answer(req: IncomingMessage, res: ServerResponse, body: Buffer, size: number): void {
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const protocol: OtlpProtocol | undefined =
      mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf'
        ? 'protobuf'
        : mediaType === 'application/json'
          ? 'json'
          : undefined;
    const seen: ReceivedExport = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      protocol,
      contentEncoding: (req.headers['content-encoding'] ?? '').toLowerCase(),
      status: 0,
      spanCount: 0,
    };
    this.requests.push(seen);
    const refuse = (status: number, message: string, code = INVALID_ARGUMENT): void => {
      seen.status = status;
      seen.error = `${status} ${message}`;
      if (protocol === 'protobuf') {
        res.writeHead(status, { 'content-type': 'application/x-protobuf' });
        res.end(encodeProtobufStatus(code, message));
      } else {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code, message }));
      }
    };
    const required = this.options.requireHeader;
    if (required && req.headers[required.name.toLowerCase()] !== required.value)
      return refuse(401, `missing or wrong ${required.name}`, UNAUTHENTICATED);

    if (seen.path.split('?')[0] !== '/v1/traces') return refuse(404, 'only /v1/traces is served');
    if (seen.method !== 'POST') return refuse(405, 'only POST is accepted');
    if (!protocol) return refuse(415, `unsupported content type "${mediaType}"`);
    if (size > MAX_BODY_BYTES) return refuse(413, 'body too large');
    if (!['', 'identity', 'gzip'].includes(seen.contentEncoding))
      return refuse(415, `unsupported content encoding "${seen.contentEncoding}"`);

    let plain: Buffer;
    try {
      plain = seen.contentEncoding === 'gzip' ? gunzipSync(body) : body;
    } catch (err) {
      return refuse(400, `malformed gzip body: ${(err as Error).message}`);
    }
    this.rawBodies.push(plain);
    let spans: ReceivedSpan[];
    try {
      spans = protocol === 'protobuf' ? decodeProtobufTraces(plain) : decodeJsonTraces(plain);
    } catch (err) {
      // A failure that is not the body's fault is the receiver's own bug: a 500 says so, where a
      // throw here would take the test process down.
      if (!(err instanceof OtlpDecodeError))
        return refuse(500, `receiver failed: ${(err as Error).message}`);
      return refuse(400, `malformed export: ${err.message}`);
    }
    this.received.push(...spans);
    seen.status = 200;
    seen.spanCount = spans.length;
    // An empty ExportTraceServiceResponse: zero bytes in protobuf, {} in JSON.
    if (protocol === 'protobuf') {
      res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': '0' });
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    }
  }
}
