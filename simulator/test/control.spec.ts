import { startSimulator } from '../src/index';
import {
  DEVICE,
  PASSWORD,
  startTestSimulator,
  xSignature,
  type SimClient,
} from './helpers/sim-test-kit';

const device = {
  operating_sys_version: DEVICE.os,
  device_ip: DEVICE.ip,
  device_fingerprint: DEVICE.fingerprint,
};

describe('control endpoints, failure modes and lifecycle', () => {
  let sim: SimClient;

  beforeAll(async () => {
    sim = await startTestSimulator();
  });

  afterAll(() => sim.close());

  afterEach(() => sim.control('POST', '/failure', { mode: 'none' }));

  it('should not expose control endpoints unless enabled', async () => {
    const closed = await startSimulator({ port: 0 });
    try {
      for (const path of ['/__sim/journal', '/__sim/issued-tokens', '/__sim/sms/outbox']) {
        const res = await fetch(`${closed.url}${path}`);
        expect(res.status).toBe(404);
      }
      expect((await fetch(`${closed.url}/__sim/reset`, { method: 'POST' })).status).toBe(404);
    } finally {
      await closed.close();
    }
  });

  it('should journal calls with the names of notable headers, never their values', async () => {
    await sim.control('DELETE', '/journal');
    await sim.login('zhangsan');
    await sim.sdkGet('/api/v2/sdk/profile', { 'X-signature': 'invalid' });
    const journal = await sim.control('GET', '/journal');
    expect(journal.body).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/api/v2/sdk/login',
        status: 200,
        at: expect.any(String),
      }),
      expect.objectContaining({
        method: 'GET',
        path: '/api/v2/sdk/profile',
        status: 400,
        error: 'PARAM.0030',
      }),
    ]);
    expect(journal.body[1].headers).toEqual(
      expect.arrayContaining(['x-client-id', 'x-device-fingerprint', 'x-signature']),
    );
    expect(journal.text).not.toContain(PASSWORD);
    expect(journal.text).not.toContain(DEVICE.fingerprint);
    await sim.control('DELETE', '/journal');
    expect((await sim.control('GET', '/journal')).body).toEqual([]);
  });

  it('should list every issued secret', async () => {
    const login = await sim.login('zhangsan');
    const warn = await sim.login('wangwu');
    const tokens = (await sim.control('GET', '/issued-tokens')).body.tokens;
    expect(tokens).toEqual(
      expect.arrayContaining([
        { kind: 'session_token', value: login.body.session_token },
        { kind: 'id_token', value: login.body.id_token },
        { kind: 'state_token', value: warn.body.state_token },
      ]),
    );
  });

  it('should drop connections in "down" mode, only on the listed paths', async () => {
    await sim.control('POST', '/failure', { mode: 'down', paths: ['/api/v2/sdk/login'] });
    await expect(sim.login('zhangsan')).rejects.toThrow();
    expect((await sim.sdkGet('/api/v2/sdk/server-date')).status).toBe(200);
    expect((await sim.control('GET', '/failure')).body).toEqual({
      mode: 'down',
      delay_ms: 0,
      paths: ['/api/v2/sdk/login'],
    });
  });

  it('should delay answers in "slow" mode', async () => {
    await sim.control('POST', '/failure', { mode: 'slow', delay_ms: 300 });
    const started = Date.now();
    expect((await sim.sdkGet('/api/v2/sdk/server-date')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('should add the configured latency to every call but the control endpoints', async () => {
    try {
      expect((await sim.control('PATCH', '/config', { latencyMs: 200 })).status).toBe(200);
      const started = Date.now();
      expect((await sim.sdkGet('/api/v2/sdk/server-date')).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      const control = Date.now();
      await sim.control('GET', '/journal');
      expect(Date.now() - control).toBeLessThan(190);
      expect((await sim.control('PATCH', '/config', { latencyMs: -5 })).status).toBe(400);
    } finally {
      await sim.control('PATCH', '/config', { latencyMs: 0 });
    }
  });

  it('should answer 500 "system busy" in "error500" mode, in each family\'s shape', async () => {
    await sim.control('POST', '/failure', { mode: 'error500' });
    const sdk = await sim.sdkGet('/api/v2/sdk/server-date');
    expect(sdk.status).toBe(500);
    expect(sdk.body).toEqual({ error_code: 'SDK.COMMON.1008', error_msg: 'System busy.' });
    const oauth = await sim.request('GET', '/api/v1/oauth2/userinfo');
    expect(oauth.status).toBe(500);
    expect(oauth.body.error).toBe('server_error');
    // Control endpoints keep working.
    expect((await sim.control('GET', '/journal')).status).toBe(200);
  });

  it('should refuse the three refresh calls in "refuse_refresh" mode, and recover after', async () => {
    const login = await sim.login('zhangsan');
    const token = login.body.session_token;
    const publicKey = (await sim.sdkGet('/api/v2/sdk/public-key')).body.public_key;
    const bearer = await sim.tenantToken();
    const authorize = await startTestSimulator({ oauthAuthorize: 'auto' });
    try {
      const location = new URL(
        (
          await authorize.request(
            'GET',
            `/api/v1/oauth2/authorize?response_type=code&client_id=${authorize.sim.clientId}&redirect_uri=https://app.example.com/cb`,
          )
        ).headers.get('location')!,
      );
      const oauthTokens = (
        await authorize.postForm('/api/v1/oauth2/token', {
          grant_type: 'authorization_code',
          code: location.searchParams.get('code')!,
          client_id: authorize.sim.clientId,
          client_secret: authorize.sim.clientSecret,
        })
      ).body;

      await sim.control('POST', '/failure', { mode: 'refuse_refresh' });
      await authorize.control('POST', '/failure', { mode: 'refuse_refresh' });
      const idToken = await sim.request('POST', '/api/v2/sdk/session-token/refresh-id-token', {
        headers: sim.sdkHeaders({ 'X-signature': xSignature(publicKey, token) }),
      });
      expect(idToken.body.error_code).toBe('PARAM.0030');
      const sso = await sim.tenantPost('/api/v2/tenant/sso/session-token/refresh', bearer, {
        session_token: token,
        ...device,
      });
      expect(sso.body).toEqual({
        error_code: 'PARAM.0016',
        error_msg: 'session_token is invalid or expired.',
      });
      const refresh = () =>
        authorize.postForm('/api/v1/oauth2/token', {
          grant_type: 'refresh_token',
          refresh_token: oauthTokens.refresh_token,
          client_id: authorize.sim.clientId,
          client_secret: authorize.sim.clientSecret,
        });
      expect((await refresh()).body).toEqual({
        error: 'invalid_grant',
        error_description: 'Invalid refresh token',
      });
      // Everything else still works.
      expect(
        (await sim.sdkGet('/api/v2/sdk/profile', { 'X-signature': xSignature(publicKey, token) }))
          .status,
      ).toBe(200);

      await sim.control('POST', '/failure', { mode: 'none' });
      await authorize.control('POST', '/failure', { mode: 'none' });
      expect(
        (
          await sim.tenantPost('/api/v2/tenant/sso/session-token/refresh', bearer, {
            session_token: token,
            ...device,
          })
        ).status,
      ).toBe(200);
      expect((await refresh()).status).toBe(200);
    } finally {
      await authorize.close();
    }
  });

  it('should validate failure and config changes', async () => {
    expect((await sim.control('POST', '/failure', { mode: 'explode' })).status).toBe(400);
    expect((await sim.control('PATCH', '/config', { port: 1 })).status).toBe(400);
    expect(
      (await sim.control('PATCH', '/config', { lifetimes: { sessionToken: -1 } })).status,
    ).toBe(400);
    expect((await sim.control('PATCH', '/config', { lifetimes: { nonsense: 1 } })).status).toBe(
      400,
    );
    const ok = await sim.control('PATCH', '/config', { lockoutThreshold: 4 });
    expect(ok.body).toMatchObject({
      lockoutThreshold: 4,
      lifetimes: expect.objectContaining({ sessionToken: 604800 }),
    });
  });

  it('should reset state, config and failure mode to the start', async () => {
    await sim.control('PATCH', '/config', { lockoutThreshold: 2 });
    const expired = await sim.login('zhaoliu');
    await sim.sdkPost(
      '/api/v2/sdk/pwd/update',
      { old_password: PASSWORD, new_password: 'Changed2024' },
      { 'X-state-token': expired.body.state_token },
    );
    expect((await sim.login('zhaoliu', 'Changed2024')).body.status).toBe('SUCCESS');

    expect((await sim.control('POST', '/reset')).status).toBe(204);
    expect((await sim.login('zhaoliu')).body.status).toBe('PASSWORD_EXPIRED');
    expect((await sim.control('GET', '/config')).body.lockoutThreshold).toBe(10);
    expect((await sim.control('GET', '/issued-tokens')).body.tokens).toHaveLength(1);
  });

  it('should log one line per request without secrets', async () => {
    const lines: string[] = [];
    const logged = await startTestSimulator({ logger: (line) => lines.push(line) });
    try {
      const login = await logged.login('zhangsan');
      await logged.request(
        'GET',
        `/api/v1/logout?redirect_url=https://app.example.com/?token=${login.body.session_token}`,
      );
      expect(lines).toEqual([
        expect.stringMatching(/^POST \/api\/v2\/sdk\/login 200 \d+ms$/),
        expect.stringMatching(/^GET \/api\/v1\/logout 302 \d+ms$/),
      ]);
      expect(lines.join('\n')).not.toContain(login.body.session_token);
    } finally {
      await logged.close();
    }
  });

  it('should close promptly with keep-alive connections open', async () => {
    const quick = await startSimulator({ port: 0 });
    await fetch(`${quick.url}/api/v1/oauth2/.well-known/openid-configuration`);
    const started = Date.now();
    await quick.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await quick.close();
  });
});
