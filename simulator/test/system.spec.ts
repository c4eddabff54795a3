import { createPublicKey } from 'node:crypto';
import { startSimulator } from '../src/index';
import { DEVICE, startTestSimulator, type SimClient } from './helpers/sim-test-kit';

describe('system endpoints and common SDK headers', () => {
  let sim: SimClient;

  beforeAll(async () => {
    sim = await startTestSimulator();
  });

  afterAll(() => sim.close());

  it('should answer server-date with epoch milliseconds as a string', async () => {
    const before = Date.now();
    const res = await sim.sdkGet('/api/v2/sdk/server-date');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(res.body.timestamp).toMatch(/^\d{13}$/);
    expect(Number(res.body.timestamp)).toBeGreaterThanOrEqual(before);
  });

  it('should serve the public key as an RSA-2048 SPKI PEM', async () => {
    const res = await sim.sdkGet('/api/v2/sdk/public-key');
    expect(res.status).toBe(200);
    expect(res.body.public_key).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(createPublicKey(res.body.public_key).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('should serve the public key as bare Base64 or escaped PEM when configured', async () => {
    await sim.control('PATCH', '/config', { publicKeyFormat: 'base64' });
    const base64 = (await sim.sdkGet('/api/v2/sdk/public-key')).body.public_key;
    expect(base64).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(
      createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' }).type,
    ).toBe('public');

    await sim.control('PATCH', '/config', { publicKeyFormat: 'pem-escaped' });
    const escaped = (await sim.sdkGet('/api/v2/sdk/public-key')).body.public_key;
    expect(escaped).toContain('-----BEGIN PUBLIC KEY-----\\n');
    expect(escaped).not.toContain('\n');
    await sim.control('PATCH', '/config', { publicKeyFormat: 'pem' });
  });

  it('should list country codes in the documented camelCase shape', async () => {
    const res = await sim.sdkGet('/api/v2/sdk/country-codes');
    expect(res.status).toBe(200);
    expect(res.body.preferredAreaCode).toBe('CN');
    expect(res.body.phoneAreaCodeDefinitions[0]).toEqual({
      areaCode: '+86',
      displayMapping: {
        'zh-TW': expect.any(String),
        en: 'Chinese Mainland',
        'zh-CN': expect.any(String),
      },
      countryCode: 'CN',
      mobileRegex: expect.any(String),
      areaCodeSuffixes: [],
    });
  });

  it('should reject a call without X-client-id with PARAM.0002', async () => {
    const headers = sim.sdkHeaders();
    delete headers['X-client-id'];
    const res = await sim.request('GET', '/api/v2/sdk/server-date', { headers });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error_code: 'PARAM.0002', error_msg: 'clientId required.' });
  });

  it('should reject an unknown client with APP.0001', async () => {
    const res = await sim.sdkGet('/api/v2/sdk/server-date', {
      'X-client-id': 'SomeOtherClient00000000000000000',
    });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('APP.0001');
  });

  it.each(['X-operating-sys-version', 'X-device-fingerprint', 'X-agent'])(
    'should reject a call without %s with PARAM.0001',
    async (header) => {
      const headers = sim.sdkHeaders();
      delete headers[header];
      const res = await sim.request('GET', '/api/v2/sdk/captcha', { headers });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error_code: 'PARAM.0001',
        error_msg: 'Device information is incomplete.',
      });
    },
  );

  it('should accept a call without the optional X-device-ip', async () => {
    const headers = sim.sdkHeaders();
    delete headers['X-device-ip'];
    expect((await sim.request('GET', '/api/v2/sdk/server-date', { headers })).status).toBe(200);
  });

  it('should answer in Chinese when X-L is zh', async () => {
    const res = await sim.sdkPost(
      '/api/v2/sdk/login',
      { user_name: 'nobody', password: 'x' },
      { 'X-L': 'zh' },
    );
    expect(res.body.error_code).toBe('LOGIN.0002');
    expect(res.body.error_msg).toMatch(/^无效的账号或密码。剩余尝试次数：\d+。$/);
  });

  it('should reject a JSON call with another content type', async () => {
    const res = await sim.request('POST', '/api/v2/sdk/login', {
      headers: { ...sim.sdkHeaders(), 'Content-Type': 'text/plain' },
      body: JSON.stringify({ user_name: 'zhangsan', password: 'x' }),
    });
    expect(res.body).toEqual({
      error_code: 'PARAM.0007',
      error_msg: 'Parameter Content-Type is invalid.',
    });
  });

  it('should reject a malformed JSON body', async () => {
    const res = await sim.request('POST', '/api/v2/sdk/login', {
      headers: { ...sim.sdkHeaders(), 'Content-Type': 'application/json;charset=utf8' },
      body: '{not json',
    });
    expect(res.body.error_code).toBe('PARAM.0007');
  });

  it('should answer unknown paths with a Spring-style 404 and wrong methods with 405', async () => {
    const missing = await sim.sdkGet('/api/v2/sdk/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      status: 404,
      error: 'Not Found',
      path: '/api/v2/sdk/nothing-here',
    });
    const wrong = await sim.request('DELETE', '/api/v2/sdk/server-date');
    expect(wrong.status).toBe(405);
  });

  it('should check X-tenant-id against a configured tenant', async () => {
    const tenant = await startSimulator({ port: 0, tenantId: '08f770f51f80d2f40f38c00cb199fd21' });
    try {
      const call = (tenantId?: string): Promise<Response> =>
        fetch(`${tenant.url}/api/v2/sdk/server-date`, {
          headers: {
            'X-client-id': tenant.clientId,
            'X-operating-sys-version': DEVICE.os,
            'X-device-fingerprint': DEVICE.fingerprint,
            'X-agent': DEVICE.agent,
            ...(tenantId ? { 'X-tenant-id': tenantId } : {}),
          },
        });
      expect((await call('08f770f51f80d2f40f38c00cb199fd21')).status).toBe(200);
      expect((await call()).status).toBe(200);
      const wrong = await call('ffffffffffffffffffffffffffffffff');
      expect(wrong.status).toBe(400);
      expect(((await wrong.json()) as { error_code: string }).error_code).toBe('APP.0001');
    } finally {
      await tenant.close();
    }
  });
});
