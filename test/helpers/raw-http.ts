import { ClientRequest, IncomingHttpHeaders, request as httpRequest } from 'node:http';

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body as received, for binary or encoded answers. */
  bytes: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/**
 * One request exactly as given (path unnormalised: `..;`, `%2e` reach the gateway as an attacker
 * sends them), on a connection of its own; the answer is parsed as JSON when it is JSON.
 * `setHost: false` leaves out the `Host` header Node would add; `localAddress` connects from
 * another loopback address (127.0.0.2 looks like another machine than a proxy on 127.0.0.1).
 */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
  options: { setHost?: boolean; localAddress?: string } = {},
): Promise<RawReply> {
  const { hostname, port } = new URL(baseUrl);
  // Framed like any client would (Node sends a GET body unframed otherwise); a test that wants
  // Transfer-Encoding sets it.
  if (body !== undefined && !('transfer-encoding' in headers))
    headers = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method,
        path,
        headers,
        agent: false,
        setHost: options.setHost,
        localAddress: options.localAddress,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const text = bytes.toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode!, headers: res.headers, text, bytes, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A GET of `path` sent exactly as written. */
export function rawGet(baseUrl: string, path: string): Promise<RawReply> {
  return rawRequest(baseUrl, 'GET', path);
}

/** A request whose body the test sends by hand, byte by byte, as a slow client would. */
export interface OpenUpload {
  req: ClientRequest;
  /** The status once the gateway answers; undefined when the connection is cut instead. */
  answered: Promise<number | undefined>;
  /** Resolves with Date.now() when the connection closes (either side). */
  closed: Promise<number>;
  /** Writes bytes of the body; false once the connection is gone. */
  send(bytes: string): boolean;
}

/**
 * Starts `method path` with `headers` (the body's length or chunking included) and sends nothing
 * of the body yet; the socket is flushed at once so the gateway sees the request.
 */
export function openUpload(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
): OpenUpload {
  const { hostname, port } = new URL(baseUrl);
  const req = httpRequest({ host: hostname, port, method, path, headers, agent: false });
  const answered = new Promise<number | undefined>((resolve) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    req.on('close', () => resolve(undefined));
  });
  const closed = new Promise<number>((resolve) => req.on('close', () => resolve(Date.now())));
  req.flushHeaders();
  return {
    req,
    answered,
    closed,
    send: (bytes) => !req.destroyed && req.write(bytes),
  };
}

/**
 * A GET the caller gives up on after `afterMs` (a browser leaving the page, a fetch aborted): the
 * connection is cut then. Resolves with the status when an answer came first, else undefined.
 */
export function giveUp(
  baseUrl: string,
  path: string,
  headers: Record<string, string>,
  afterMs: number,
): Promise<number | undefined> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const req = httpRequest({ host: hostname, port, method: 'GET', path, headers, agent: false });
    let status: number | undefined;
    const timer = setTimeout(() => req.destroy(), afterMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      status = res.statusCode;
      res.resume();
      res.on('end', () => resolve(status));
    });
    req.on('error', () => undefined);
    req.on('close', () => {
      clearTimeout(timer);
      resolve(status);
    });
    req.end();
  });
}
