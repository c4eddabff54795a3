import { BrowserClient, Reply } from '../helpers/browser-client';
import { simControl } from '../helpers/flows';
import { waitFor } from '../helpers/wait-for';
import { passwordLogin, useSecurityStack, USERS } from './helpers';

const ERROR_KEYS = ['code', 'errors', 'message', 'request_id', 'upstream_code'];

/**
 * docs/security.md 48: errors reach the browser as the contract's generic JSON (code, message,
 * request id; no stack, no upstream body), and an outage fails closed without logging anyone
 * out: OneAccess down or failing, or Redis hanging, answers 503 and every session is still there
 * afterwards.
 */
describe('48: generic errors, and outages that keep sessions', () => {
  const suite = useSecurityStack({
    ownRedis: true,
    env: { REDIS_TIMEOUT_MS: '300', ONEACCESS_TIMEOUT_MS: '500' },
  });

  const expectGeneric = (res: Reply, status: number, code: string) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    for (const key of Object.keys(res.body)) expect(ERROR_KEYS).toContain(key);
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(
      /\bat [\w.<>]+ \(|\.ts:\d+|\.js:\d+|node_modules|Error:|SDK\.COMMON|error_msg|System busy/,
    );
  };

  it('should answer OneAccess failures with generic errors and keep the session', async () => {
    const b = await passwordLogin(suite.stack.url);
    try {
      await simControl(suite.stack.simulator, 'POST', 'failure', { mode: 'error500' });
      expectGeneric(await b.get('/auth/profile'), 503, 'UPSTREAM_UNAVAILABLE');
      expectGeneric(
        await new BrowserClient(suite.stack.url).post('/auth/login/password', {
          user_name: USERS.other.user_name,
          password: 'x',
        }),
        503,
        'UPSTREAM_UNAVAILABLE',
      );
      await simControl(suite.stack.simulator, 'POST', 'failure', { mode: 'down' });
      expectGeneric(await b.get('/auth/profile'), 503, 'UPSTREAM_UNAVAILABLE');
      await simControl(suite.stack.simulator, 'POST', 'failure', { mode: 'slow', delay_ms: 1500 });
      expectGeneric(await b.get('/auth/profile'), 504, 'UPSTREAM_TIMEOUT');
    } finally {
      await simControl(suite.stack.simulator, 'POST', 'failure', { mode: 'none' });
    }
    expect((await b.get('/auth/session')).body.status).toBe('SUCCESS');
    expect((await b.get('/auth/profile')).status).toBe(200);
  });

  it('should answer 503 while Redis hangs, delete nothing, and carry on afterwards', async () => {
    const b = await passwordLogin(suite.stack.url);
    const other = await passwordLogin(suite.stack.url, USERS.other.user_name);
    suite.stack.redisServer!.pause();
    try {
      for (const res of [
        await b.get('/auth/session'),
        await b.get('/api/byid/x'),
        await other.post('/auth/logout'),
      ])
        expectGeneric(res, 503, 'SESSION_STORE_UNAVAILABLE');
    } finally {
      suite.stack.redisServer!.resume();
    }
    await waitFor(
      async () => (await b.get('/auth/session')).status === 200,
      5000,
      'Redis to answer again',
    );
    expect((await b.get('/auth/session')).body.status).toBe('SUCCESS');
    expect((await b.get('/api/byid/x')).status).toBe(200);
    expect((await other.get('/auth/session')).body.status).toBe('SUCCESS');
  });
});
