import { ApiSocket, type WebSocketLike } from '@oneaccess-bff/client';
import WebSocket from 'ws';
import { waitFor } from './helpers/wait-for';
import { WsUpstream } from './helpers/ws-upstream';
import { ORIGIN, passwordLogin, USERS, useSecurityStack } from './security/helpers';

const MAX_DELAY_MS = 200;

/**
 * The typed client's ApiSocket against a real gateway, simulator, Redis and ws upstream: it
 * reconnects when the connection drops, and stops, reporting "signed out", when the session ends.
 */
describe('@oneaccess-bff/client ApiSocket', () => {
  const upstream = new WsUpstream();
  beforeAll(() => upstream.start());
  afterAll(() => upstream.close());
  const suite = useSecurityStack({
    env: {
      get API_ROUTES() {
        return JSON.stringify({ live: { target: `${upstream.url}/live`, websocket: true } });
      },
    },
  });

  it('should reconnect after the connection drops, and not after the session ends', async () => {
    const b = await passwordLogin(suite.stack.url, USERS.plain.user_name);
    const created: WebSocket[] = [];
    const events: string[] = [];
    const received: string[] = [];
    const socket = new ApiSocket('/api/live/feed', {
      basePath: suite.stack.url,
      minDelayMs: 50,
      maxDelayMs: MAX_DELAY_MS,
      create: (url, protocols) => {
        const ws = new WebSocket(url, protocols, {
          headers: { Cookie: b.cookieHeader, Origin: ORIGIN },
        });
        created.push(ws);
        return ws as unknown as WebSocketLike;
      },
      onOpen: () => events.push('open'),
      onMessage: (data) => received.push(String(data)),
      onClose: (e, again) => events.push(`close ${e.code} ${again === null ? 'final' : 'retry'}`),
      onSignedOut: () => events.push('signed out'),
    });
    await waitFor(() => socket.open, 5000, 'the socket to open');
    expect(socket.send('one')).toBe(true);
    await waitFor(() => received.includes('one'), 5000, 'the echo');

    // The network drops: the client's connection is cut without a close frame.
    created[0].terminate();
    await waitFor(() => events.filter((e) => e === 'open').length === 2, 5000, 'a reconnect');
    expect(events).toContain('close 1006 retry');
    expect(socket.send('two')).toBe(true);
    await waitFor(() => received.includes('two'), 5000, 'the echo after reconnecting');

    expect((await b.post('/auth/logout')).status).toBe(200);
    await waitFor(() => events.includes('signed out'), 5000, 'signed out');
    expect(events).toContain('close 4401 final');
    const sockets = created.length;
    const since = Date.now();
    await waitFor(() => Date.now() - since > MAX_DELAY_MS * 3, 5000, 'longer than any backoff');
    expect(created.length).toBe(sockets);
    expect(socket.open).toBe(false);
    expect(socket.send('three')).toBe(false);
  });
});
