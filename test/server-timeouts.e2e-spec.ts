import { connect } from 'node:net';
import { EchoUpstream } from './helpers/echo-upstream';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { OpenUpload, openUpload, rawRequest } from './helpers/raw-http';
import { COOKIE, ORIGIN, passwordLogin } from './security/helpers';

const IDLE_MS = 1000;
const HEADERS_MS = 1000;
const REQUEST_MS = 4000;
/** Node checks the headers and request timeouts once a second; plus scheduling on a busy machine. */
const SLACK_MS = 2500;

/**
 * The server's own limits (SERVER_*): a body that sends nothing for SERVER_BODY_IDLE_TIMEOUT_MS
 * is cut on /auth and on the relay, a trickling body at SERVER_REQUEST_TIMEOUT_MS, headers that
 * take longer than SERVER_HEADERS_TIMEOUT_MS are cut, and oversized headers answer 431.
 */
describe('server timeouts and limits', () => {
  let stack: GatewayStack;
  let upstream: EchoUpstream;
  let cookie: string;
  const open: OpenUpload[] = [];
  const timers: NodeJS.Timeout[] = [];

  beforeAll(async () => {
    upstream = await new EchoUpstream().start();
    stack = await startGatewayStack({
      env: {
        SERVER_BODY_IDLE_TIMEOUT_MS: String(IDLE_MS),
        SERVER_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
        SERVER_REQUEST_TIMEOUT_MS: String(REQUEST_MS),
        SERVER_MAX_HEADER_SIZE: '8192',
        API_ROUTES: JSON.stringify({
          upload: { target: `${upstream.url}/up` },
          // Answers (504) only after the body idle timeout has passed twice.
          lazy: { target: `${upstream.url}/lazy`, timeout_ms: IDLE_MS * 2 },
        }),
      },
    });
    const browser = await passwordLogin(stack.gateway.url);
    cookie = `${COOKIE}=${browser.cookies.get(COOKIE)}`;
  });

  afterEach(() => {
    for (const timer of timers.splice(0)) clearInterval(timer);
    for (const upload of open.splice(0)) upload.req.destroy();
  });

  afterAll(async () => {
    await stack?.close();
    await upstream?.close();
  });

  /** Starts a request whose body stops after `first`, and measures how long until it is cut. */
  async function stalledBody(path: string, headers: Record<string, string>, first: string) {
    const upload = openUpload(stack.gateway.url, 'POST', path, {
      'x-csrf': '1',
      origin: ORIGIN,
      'content-length': '100',
      ...headers,
    });
    open.push(upload);
    upload.send(first);
    const sent = Date.now();
    return { upload, elapsed: (await upload.closed) - sent };
  }

  it('should cut a relayed upload whose body goes silent, after the idle timeout', async () => {
    const seen = upstream.seen.length;
    const { upload, elapsed } = await stalledBody(
      '/api/upload/u',
      { cookie, 'content-type': 'application/octet-stream' },
      'first bytes',
    );
    expect(await upload.answered).toBeUndefined();
    expect(elapsed).toBeGreaterThanOrEqual(IDLE_MS - 100);
    expect(elapsed).toBeLessThan(IDLE_MS + SLACK_MS);
    // The upstream never got a complete request from it.
    expect(upstream.seen.slice(seen)).toEqual([]);
  });

  it('should cut an /auth body that goes silent, after the idle timeout', async () => {
    const { elapsed } = await stalledBody(
      '/auth/login/password',
      { 'content-type': 'application/json' },
      '{"user_name":',
    );
    expect(elapsed).toBeGreaterThanOrEqual(IDLE_MS - 100);
    expect(elapsed).toBeLessThan(IDLE_MS + SLACK_MS);
  });

  it('should cut a body that trickles without ever going idle, at the request timeout', async () => {
    const upload = openUpload(stack.gateway.url, 'POST', '/api/upload/u', {
      cookie,
      'x-csrf': '1',
      origin: ORIGIN,
      'content-type': 'application/octet-stream',
    });
    open.push(upload);
    const started = Date.now();
    upload.send('x');
    timers.push(setInterval(() => upload.send('x'), IDLE_MS / 4));
    const elapsed = (await upload.closed) - started;
    expect(elapsed).toBeGreaterThanOrEqual(REQUEST_MS - 100);
    expect(elapsed).toBeLessThan(REQUEST_MS + SLACK_MS);
  });

  it('should still take a body sent at an ordinary pace and keep serving afterwards', async () => {
    const body = Buffer.alloc(256 * 1024, 1);
    const res = await rawRequest(
      stack.gateway.url,
      'POST',
      '/api/upload/u',
      { cookie, 'x-csrf': '1', origin: ORIGIN, 'content-type': 'application/octet-stream' },
      body,
    );
    expect({ status: res.status, bytes: res.body.bytes }).toEqual({
      status: 200,
      bytes: body.length,
    });
  });

  it('should lift the idle timeout once the body is complete: a slow upstream answer is not cut', async () => {
    const started = Date.now();
    const res = await rawRequest(
      stack.gateway.url,
      'POST',
      '/api/lazy/slow',
      { cookie, 'x-csrf': '1', origin: ORIGIN, 'content-type': 'text/plain' },
      'complete body',
    );
    expect({ status: res.status, code: res.body.code }).toEqual({
      status: 504,
      code: 'UPSTREAM_TIMEOUT',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS * 2 - 100);
  });

  it('should cut a client that sends its headers too slowly', async () => {
    const socket = connect(Number(new URL(stack.gateway.url).port), '127.0.0.1');
    const started = Date.now();
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    let n = 0;
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(`X-Slow-${n++}: 1\r\n`);
    }, HEADERS_MS / 4);
    timers.push(timer);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('close', resolve));
    const elapsed = Date.now() - started;
    expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(HEADERS_MS - 100);
    expect(elapsed).toBeLessThan(HEADERS_MS + SLACK_MS);
  });

  it('should refuse headers larger than SERVER_MAX_HEADER_SIZE with 431', async () => {
    const res = await rawRequest(stack.gateway.url, 'GET', '/healthz', {
      'x-big': 'a'.repeat(10_000),
    });
    expect(res.status).toBe(431);
    expect((await rawRequest(stack.gateway.url, 'GET', '/healthz')).status).toBe(200);
  });
});
