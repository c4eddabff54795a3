import request from 'supertest';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { waitFor } from './helpers/wait-for';

describe('health probes (contract section 7)', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack({ ownRedis: true });
  });
  afterAll(() => stack.close());

  const control = (path: string, body: unknown) =>
    fetch(`${stack.simulator.url}/__sim/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('should be live and ready when Redis and OneAccess answer', async () => {
    expect((await request(stack.gateway.url).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(stack.gateway.url).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.details).toMatchObject({
      session_store: { status: 'up' },
      oneaccess: { status: 'up' },
    });
  });

  it('should be unready, but still live, while OneAccess is down', async () => {
    await control('failure', { mode: 'down' });
    try {
      const res = await waitFor(
        async () => {
          const r = await request(stack.gateway.url).get('/readyz');
          return r.status === 503 ? r : undefined;
        },
        15_000,
        'readyz 503',
      );
      expect(res!.body).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        message: expect.stringContaining('oneaccess'),
      });
      expect((await request(stack.gateway.url).get('/healthz')).status).toBe(200);
    } finally {
      await control('failure', { mode: 'none' });
    }
    await waitFor(
      async () => (await request(stack.gateway.url).get('/readyz')).status === 200,
      15_000,
      'readyz 200',
    );
  });

  it('should be unready while Redis is down', async () => {
    await stack.redisServer!.stop();
    try {
      const res = await request(stack.gateway.url).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        code: 'SESSION_STORE_UNAVAILABLE',
        message: expect.stringContaining('session_store'),
      });
    } finally {
      await stack.redisServer!.start();
    }
  });
});

describe('metrics (contract section 7)', () => {
  let stack: GatewayStack;
  beforeAll(async () => {
    stack = await startGatewayStack();
  });
  afterAll(() => stack.close());

  it('should expose Prometheus text that counts logins by method and outcome', async () => {
    await request(stack.gateway.url)
      .post('/auth/login/password')
      .set('X-CSRF', '1')
      .send({ user_name: 'zhangsan', password: 'Passw0rd!2024' });
    await request(stack.gateway.url)
      .post('/auth/login/password')
      .set('X-CSRF', '1')
      .send({ user_name: 'zhangsan', password: 'wrong-password' });
    const res = await request(stack.gateway.url).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(res.text).toMatch(/^bff_logins_total\{method="password",outcome="success"\} 1$/m);
    expect(res.text).toMatch(/^bff_logins_total\{method="password",outcome="failure"\} 1$/m);
    expect(res.text).toMatch(/^bff_process_cpu_seconds_total /m);
  });
});
