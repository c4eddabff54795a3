import { sign } from 'cookie-signature';
import request from 'supertest';
import { AuditLog } from '../src/common/audit/audit-log';
import { BrowserClient } from './helpers/browser-client';
import { EchoUpstream } from './helpers/echo-upstream';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { metricSample } from './helpers/process-output';
import { PASSWORD } from './security/helpers';

const COOKIE = '__Host-bff';
const ORIGIN = 'http://localhost:3000';

/**
 * A session cookie that does not verify (docs/security.md 10): refused as no session on every
 * path, counted in `bff_session_cookies_rejected_total` for each request, and audited as
 * `session_rejected` at most once a minute per client address, never with the cookie. The
 * owner's genuine cookie is neither counted nor audited. Behind a proxy on loopback, so each
 * "client" is the address the proxy names.
 */
describe('session cookies that do not verify', () => {
  let stack: GatewayStack;
  let upstream: EchoUpstream;
  let audit: jest.SpyInstance;

  beforeAll(async () => {
    upstream = await new EchoUpstream().start();
    stack = await startGatewayStack({
      env: {
        TRUST_PROXY: 'loopback',
        API_ROUTES: JSON.stringify({ echo: { target: `${upstream.url}/e` } }),
      },
    });
    audit = jest.spyOn(stack.gateway.app.get(AuditLog, { strict: false }), 'record');
  });
  afterAll(async () => {
    audit?.mockRestore();
    await stack?.close();
    await upstream?.close();
  });

  const rejectedLines = (): unknown[][] =>
    (audit.mock.calls as unknown[][]).filter(([event]) => event === 'session_rejected');
  const rejectedCount = async () =>
    metricSample(
      (await request(stack.gateway.url).get('/metrics')).text,
      'bff_session_cookies_rejected_total',
    );
  /** A signed-looking cookie signed with a secret the gateway does not have. */
  const forged = (id: string) => `${COOKIE}=${encodeURIComponent(`s:${sign(id, 'guessed')}`)}`;
  const from = (address: string, cookie: string) => ({
    'X-Forwarded-For': address,
    Cookie: cookie,
    'X-CSRF': '1',
    Origin: ORIGIN,
  });

  it('should refuse it on every path, count every request, and audit one line per client a minute', async () => {
    const owner = new BrowserClient(stack.gateway.url);
    owner.headers['X-Forwarded-For'] = '203.0.113.10';
    expect(
      (await owner.post('/auth/login/password', { user_name: 'zhangsan', password: PASSWORD }))
        .body.status,
    ).toBe('SUCCESS');
    const before = (await rejectedCount()) ?? 0;
    audit.mockClear();

    const attacker = from('198.51.100.7', forged('a-session-id'));
    const gw = () => request(stack.gateway.url);
    expect((await gw().get('/api/echo/x').set(attacker)).body.code).toBe('UNAUTHENTICATED');
    expect((await gw().get('/auth/session').set(attacker)).body).toMatchObject({
      authenticated: false,
    });
    expect((await gw().get('/auth/profile').set(attacker)).body.code).toBe('UNAUTHENTICATED');
    expect(
      (await gw().post('/auth/logout').set(from('198.51.100.7', `${COOKIE}=s%3Anot-signed`)))
        .status,
    ).toBeLessThan(500);
    expect(upstream.seen.some((s) => s.url === '/e/x')).toBe(false);

    expect(await rejectedCount()).toBe(before + 4);
    expect(rejectedLines()).toHaveLength(1);
    const [, fields, session, subject] = rejectedLines()[0] as [
      string,
      Record<string, unknown>,
      string | undefined,
      { client?: string },
    ];
    expect(fields).toMatchObject({
      reason: 'bad_signature',
      method: 'GET',
      path: '/api/echo/x',
    });
    expect(session).toBeUndefined();
    expect(subject).toEqual({ client: '198.51.100.7' });
    expect(JSON.stringify(rejectedLines())).not.toMatch(/guessed|a-session-id|not-signed/);

    // another client gets its own line; the owner, meanwhile, is neither counted nor audited
    await gw().get('/auth/session').set(from('198.51.100.8', forged('other')));
    expect(rejectedLines()).toHaveLength(2);
    expect((await owner.get('/auth/session')).body).toMatchObject({ authenticated: true });
    expect((await owner.get('/api/echo/mine')).status).toBe(200);
    expect((await owner.get('/auth/profile')).status).toBe(200);
    expect(rejectedLines()).toHaveLength(2);
    expect(await rejectedCount()).toBe(before + 5);
  });
});
