import request from 'supertest';
import WebSocket from 'ws';
import { createTestApp, TestApp } from './helpers/create-test-app';
import { rawRequest } from './helpers/raw-http';
import { waitFor } from './helpers/wait-for';
import { WsUpstream } from './helpers/ws-upstream';
import { BrowserClient } from './helpers/browser-client';
import {
  COOKIE,
  issuedSecrets,
  rawSessionId,
  ORIGIN,
  passwordLogin,
  sameBrowserOn,
  USERS,
  useSecurityStack,
} from './security/helpers';

const IDLE_S = 6;
/** The contract's bound on closing a socket whose session ended. */
const CLOSE_WITHIN_MS = 5000;

interface Opened {
  ws: WebSocket;
  headers: Record<string, string | string[] | undefined>;
  messages: Array<{ data: Buffer; binary: boolean }>;
  closed: Promise<{ code: number; reason: string }>;
}

interface Refused {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { code: string; message: string; request_id: string };
}

/**
 * WebSockets on the relay (docs/api.md section 5): a real ws upstream, the simulator, Redis, and
 * two gateway instances on one Redis. The upgrade is checked like a relayed call plus the Origin,
 * messages pass unchanged, and every socket closes with 4401 within 5 s when its session ends,
 * on whichever instance it ended.
 */
describe('websocket relay', () => {
  const upstream = new WsUpstream();
  beforeAll(() => upstream.start());
  afterAll(() => upstream.close());
  const suite = useSecurityStack({
    env: {
      SESSION_IDLE_TIMEOUT_S: String(IDLE_S),
      RELAY_MAX_WEBSOCKETS_PER_SESSION: '8',
      get API_ROUTES() {
        return JSON.stringify({
          live: { target: `${upstream.url}/live`, token: 'id_token', websocket: true },
          plain: { target: `${upstream.url}/plain`, token: 'id_token' },
        });
      },
    },
  });
  let other: TestApp;
  beforeAll(async () => {
    other = await createTestApp({ ...suite.stack.env, LOG_LEVEL: 'silent' });
  });
  afterAll(() => other?.close());

  const wsUrl = (base: string, path: string) => base.replace(/^http/, 'ws') + path;

  function attempt(
    base: string,
    path: string,
    headers: Record<string, string>,
    protocols?: string[],
  ): Promise<Opened | Refused> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl(base, path), protocols, { headers, perMessageDeflate: false });
      const messages: Opened['messages'] = [];
      ws.on('message', (data: Buffer, binary) => messages.push({ data, binary }));
      ws.once('upgrade', (res) => {
        const closed = new Promise<{ code: number; reason: string }>((done) => {
          ws.once('close', (code, reason) => done({ code, reason: reason.toString() }));
        });
        ws.once('open', () => resolve({ ws, headers: res.headers, messages, closed }));
      });
      ws.once('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }),
        );
      });
      ws.once('error', reject);
    });
  }

  const asBrowser = (b: BrowserClient, extra: Record<string, string> = {}) => ({
    Cookie: b.cookieHeader,
    Origin: ORIGIN,
    ...extra,
  });

  /** A WebSocket upgrade sent exactly as written (no URL parsing), headers given win. */
  const rawUpgrade = (path: string, headers: Record<string, string>) =>
    rawRequest(suite.stack.url, 'GET', path, {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      ...headers,
    });

  async function open(base: string, b: BrowserClient, path = '/api/live/feed'): Promise<Opened> {
    const result = await attempt(base, path, asBrowser(b));
    if ('status' in result)
      throw new Error(`refused: ${result.status} ${JSON.stringify(result.body)}`);
    return result;
  }

  async function expectSessionEndedClose(socket: Opened, action: () => Promise<unknown>) {
    const before = upstream.sockets.length;
    const mine = upstream.sockets[before - 1];
    const started = Date.now();
    await action();
    const closed = await socket.closed;
    expect({ code: closed.code, reason: closed.reason }).toEqual({
      code: 4401,
      reason: 'session ended',
    });
    expect(Date.now() - started).toBeLessThan(CLOSE_WITHIN_MS + 2000);
    await waitFor(
      () => mine.closedWith !== undefined,
      CLOSE_WITHIN_MS,
      'the upstream side to close',
    );
  }

  it('should relay text, a 70,000-byte binary message and the subprotocol, with Bearer <id_token> and no cookie upstream', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    const result = await attempt(suite.stack.url, '/api/live/feed?topic=a%20b', asBrowser(b), [
      'chat.v2',
      'chat.v1',
    ]);
    if ('status' in result) throw new Error(JSON.stringify(result));
    const { ws, headers, messages } = result;
    expect(ws.protocol).toBe('chat.v2');
    expect(headers['x-request-id']).toEqual(expect.any(String));
    expect(headers['x-content-type-options']).toBe('nosniff');
    const seen = upstream.sockets[upstream.sockets.length - 1];
    expect(seen.url).toBe('/live/feed?topic=a%20b');
    expect(seen.protocol).toBe('chat.v2');
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers['x-request-id']).toBe(headers['x-request-id']);
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    const idTokens = (await issuedSecrets(suite.stack.simulator))
      .filter((t) => t.kind === 'id_token')
      .map((t) => `Bearer ${t.value}`);
    expect(idTokens).toContain(seen.headers.authorization);

    const big = Buffer.alloc(70_000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    ws.send('hello');
    ws.send(big, { binary: true });
    // Fragmented: the upstream gets it as one message.
    ws.send('frag-', { fin: false });
    ws.send('ment', { fin: true });
    await waitFor(() => messages.length === 3, 5000, 'three echoes');
    expect(messages[0]).toEqual({ data: Buffer.from('hello'), binary: false });
    expect(messages[1].binary).toBe(true);
    expect(messages[1].data.equals(big)).toBe(true);
    expect(messages[2]).toEqual({ data: Buffer.from('frag-ment'), binary: false });
    ws.close(1000);
    await waitFor(() => seen.closedWith === 1000, 5000, 'the close to reach the upstream');
    await b.post('/auth/logout');
  });

  it('should refuse without a session, a foreign or missing Origin, a cross-site fetch, a route without websocket and a climbing path, reaching no upstream', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    const socketsBefore = upstream.sockets.length;
    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['/api/live/feed', { Origin: ORIGIN }, 401, 'UNAUTHENTICATED'],
      ['/api/live/feed', asBrowser(b, { Origin: 'https://evil.example' }), 403, 'CSRF_REJECTED'],
      ['/api/live/feed', { Cookie: b.cookieHeader }, 403, 'CSRF_REJECTED'],
      ['/api/live/feed', asBrowser(b, { 'Sec-Fetch-Site': 'cross-site' }), 403, 'CSRF_REJECTED'],
      ['/api/plain/feed', asBrowser(b), 404, 'NOT_FOUND'],
      ['/api/nope/feed', asBrowser(b), 404, 'NOT_FOUND'],
      ['/api/live/%252e%252e/admin', asBrowser(b), 400, 'VALIDATION_FAILED'],
    ];
    for (const [path, headers, status, code] of cases) {
      const result = await attempt(suite.stack.url, path, headers);
      expect('status' in result && [path, result.status, result.body.code]).toEqual([
        path,
        status,
        code,
      ]);
      const refused = result as Refused;
      expect(refused.headers['content-type']).toMatch(/^application\/json/);
      expect(refused.headers['x-request-id']).toBe(refused.body.request_id);
      expect(refused.headers['x-content-type-options']).toBe('nosniff');
    }
    // Sent as written: a URL parser would have removed the %2e%2e segment before it left.
    const climbing = await rawUpgrade('/api/live/%2e%2e/admin', asBrowser(b));
    expect([climbing.status, (climbing.body as Refused['body']).code]).toEqual([
      400,
      'VALIDATION_FAILED',
    ]);
    // A malformed handshake is the contract's 400 too, before anything opens upstream.
    const badKey = await rawUpgrade('/api/live/feed', {
      ...asBrowser(b),
      'Sec-WebSocket-Key': 'not-a-key',
    });
    expect([badKey.status, (badKey.body as Refused['body']).code]).toEqual([
      400,
      'VALIDATION_FAILED',
    ]);
    expect(upstream.sockets.length).toBe(socketsBefore);
    expect(upstream.httpRequests).toEqual([]);
    // The owner, meanwhile, still opens one.
    const mine = await open(suite.stack.url, b);
    mine.ws.close();
    await b.post('/auth/logout');
  });

  it('should close the socket with 4401 within 5 s when the session logs out, and the upstream side too', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    const socket = await open(suite.stack.url, b);
    await expectSessionEndedClose(socket, () => b.post('/auth/logout'));
  });

  it('should close with 4401 when the user ends the session from another device', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.other.user_name);
    const socket = await open(suite.stack.url, b);
    const elsewhere = await passwordLogin(suite.stack.url, USERS.other.user_name);
    await expectSessionEndedClose(socket, async () =>
      expect((await elsewhere.delete('/auth/sessions')).body).toEqual({ ended: 1 }),
    );
    // The device that ended it keeps its own socket.
    const kept = await open(suite.stack.url, elsewhere);
    expect(kept.ws.readyState).toBe(WebSocket.OPEN);
    kept.ws.close();
    await elsewhere.post('/auth/logout');
  });

  it('should close with 4401 when an admin revokes the session', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    const socket = await open(suite.stack.url, b);
    await expectSessionEndedClose(socket, async () => {
      const res = await request(suite.stack.url)
        .delete(`/admin/users/${USERS.plain.id}/sessions`)
        .set(suite.stack.admin());
      expect(res.status).toBeLessThan(300);
    });
  });

  it('should close with 4401 a socket on one instance when the session logs out on another', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    const onOther = sameBrowserOn(other.url, b);
    const socket = await open(other.url, onOther);
    await expectSessionEndedClose(socket, () => b.post('/auth/logout'));
  });

  it('should close with 4401 a socket whose session ended while the subscriber was disconnected', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    const socket = await open(other.url, sameBrowserOn(other.url, b));
    await expectSessionEndedClose(socket, async () => {
      // An ending whose message nobody heard: the record is gone, no event was published.
      const sid = rawSessionId(b.cookies.get(COOKIE) ?? '');
      expect(await suite.redis.del(`${suite.stack.keyPrefix}cred:${sid}`)).toBe(1);
      // The subscribers reconnect, and re-check their sockets' sessions against the store.
      await suite.redis.client('KILL', 'TYPE', 'pubsub');
    });
  });

  it(
    'should close with 4401 at the idle timeout, which socket traffic does not extend',
    async () => {
      const b = await passwordLogin(suite.stack.url, USERS.plain.user_name);
      const socket = await open(suite.stack.url, b);
      const seen = upstream.sockets[upstream.sockets.length - 1];
      const chatter = setInterval(() => socket.ws.send('still here'), 500);
      try {
        const closed = await socket.closed;
        expect({ code: closed.code, reason: closed.reason }).toEqual({
          code: 4401,
          reason: 'session ended',
        });
      } finally {
        clearInterval(chatter);
      }
      await waitFor(
        () => seen.closedWith !== undefined,
        CLOSE_WITHIN_MS,
        'the upstream side to close',
      );
      expect((await b.get('/auth/session')).body.status).toBe('ANONYMOUS');
    },
    (IDLE_S + 15) * 1000,
  );

  it(
    'should keep the socket open past the idle end its session had when the session was active elsewhere',
    async () => {
      const b = await passwordLogin(suite.stack.url, USERS.plain.user_name);
      const socket = await open(suite.stack.url, b);
      const opened = Date.now();
      let closedAt = 0;
      void socket.closed.then(() => (closedAt = Date.now()));
      // Activity of the session (not of the socket) two thirds into its idle time.
      await waitFor(
        () => Date.now() - opened > (IDLE_S * 1000 * 2) / 3,
        IDLE_S * 1000,
        'time to pass',
      );
      expect((await b.get('/auth/session')).body.status).toBe('SUCCESS');
      await waitFor(
        () => Date.now() - opened > IDLE_S * 1000 + 1500,
        (IDLE_S + 5) * 1000,
        'the old idle end to pass',
      );
      expect(closedAt).toBe(0);
      const closed = await socket.closed;
      expect(closed.code).toBe(4401);
    },
    (IDLE_S * 2 + 15) * 1000,
  );

  it('should refuse a ninth socket of one session with 429 while another session still opens', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    const eight = await Promise.all(Array.from({ length: 8 }, () => open(suite.stack.url, b)));
    const ninth = await attempt(suite.stack.url, '/api/live/feed', asBrowser(b));
    expect('status' in ninth && [ninth.status, ninth.body.code]).toEqual([429, 'RATE_LIMITED']);
    const someoneElse = await passwordLogin(suite.stack.url, USERS.other.user_name);
    const theirs = await open(suite.stack.url, someoneElse);
    // One closed: the place is free again.
    eight[0].ws.close();
    await eight[0].closed;
    await waitFor(
      async () => !('status' in (await attempt(suite.stack.url, '/api/live/feed', asBrowser(b)))),
      5000,
      'a place to free up',
    );
    theirs.ws.close();
    await someoneElse.post('/auth/logout');
    await b.post('/auth/logout');
  });

  it('should serve an upgrade to anything but a WebSocket as the plain request it is', async () => {
    const h2c = { Connection: 'Upgrade, HTTP2-Settings', Upgrade: 'h2c', 'HTTP2-Settings': '' };
    const health = await rawRequest(suite.stack.url, 'GET', '/healthz', h2c);
    expect(health.status).toBe(200);
    const anonymous = await rawRequest(suite.stack.url, 'GET', '/auth/session', h2c);
    expect([anonymous.status, (anonymous.body as { status: string }).status]).toEqual([
      200,
      'ANONYMOUS',
    ]);
    // A WebSocket outside /api has nothing to open: the contract's 404.
    const elsewhere = await rawUpgrade('/auth/session', { Origin: ORIGIN });
    expect([elsewhere.status, (elsewhere.body as Refused['body']).code]).toEqual([
      404,
      'NOT_FOUND',
    ]);
  });

  it('should answer 503 when the upstream refuses the upgrade, opening nothing for the browser', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    upstream.refuseNext = true;
    const result = await attempt(suite.stack.url, '/api/live/feed', asBrowser(b));
    expect('status' in result && [result.status, result.body.code]).toEqual([
      503,
      'UPSTREAM_UNAVAILABLE',
    ]);
    await b.post('/auth/logout');
  });

  it('should count upgrades, open sockets, closes by reason, and messages and bytes both ways', async () => {
    const text = (await request(suite.stack.url).get('/metrics')).text;
    const value = (line: string) => Number(new RegExp(`^${line} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('bff_websocket_upgrades_total\\{route="live",status="101"\\}')).toBeGreaterThan(5);
    expect(value('bff_websocket_upgrades_total\\{route="live",status="401"\\}')).toBe(1);
    expect(
      value('bff_websocket_closes_total\\{route="live",reason="session_ended"\\}'),
    ).toBeGreaterThanOrEqual(5);
    expect(value('bff_websocket_closes_total\\{route="live",reason="browser"\\}')).toBeGreaterThan(
      0,
    );
    expect(
      value('bff_websocket_bytes_total\\{route="live",direction="to_upstream"\\}'),
    ).toBeGreaterThan(70_000);
    expect(
      value('bff_websocket_messages_total\\{route="live",direction="to_browser"\\}'),
    ).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/^bff_websockets_open\{route="live"\} \d+$/m);
  });

  it('should close sockets with 1001 when the gateway shuts down, and the shutdown completes', async () => {
    const stopping = await createTestApp({ ...suite.stack.env, LOG_LEVEL: 'silent' });
    const b = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    const socket = await open(stopping.url, sameBrowserOn(stopping.url, b));
    const seen = upstream.sockets[upstream.sockets.length - 1];
    await stopping.close();
    expect((await socket.closed).code).toBe(1001);
    await waitFor(() => seen.closedWith !== undefined, 5000, 'the upstream side to close');
    // The session itself lives on: only the gateway went away.
    expect((await b.get('/auth/session')).body.status).toBe('SUCCESS');
    await b.post('/auth/logout');
  });
});
