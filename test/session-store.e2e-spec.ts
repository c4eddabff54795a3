import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { signedSessionCookie } from './helpers/session-cookie';
import { SessionCipher } from '../src/common/crypto/session-cipher';

const SECRET = 'test-session-secret-test-session-secret-01';
const KEY = randomBytes(32);
const COOKIE = '__Host-bff';

describe('session store outage (contract section 6: SESSION_STORE_UNAVAILABLE)', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack({
      ownRedis: true,
      env: {
        SESSION_SECRETS: SECRET,
        SESSION_ENCRYPTION_KEYS: KEY.toString('base64'),
        REDIS_TIMEOUT_MS: '300',
      },
    });
  });
  afterAll(() => stack.close());

  /** A live session written straight into Redis, and the cookie that names it. */
  async function seedSession(): Promise<{ key: string; cookie: string }> {
    const id = randomBytes(24).toString('base64url');
    const key = `${stack.keyPrefix}sess:${id}`;
    const redis = stack.redisServer!.client();
    const record = {
      cookie: { path: '/', httpOnly: true, secure: true, sameSite: 'strict' },
      fingerprint: 'fp-abcdefgh',
      created_at: Date.now(),
    };
    // written as the gateway writes it: encrypted with the configured key
    await redis.set(key, new SessionCipher([KEY]).encrypt(JSON.stringify(record)), 'EX', 600);
    redis.disconnect();
    return { key, cookie: signedSessionCookie(COOKIE, id, SECRET) };
  }

  async function exists(key: string): Promise<boolean> {
    const redis = stack.redisServer!.client();
    try {
      return (await redis.exists(key)) === 1;
    } finally {
      redis.disconnect();
    }
  }

  it('should read a session named by a signed cookie and ignore a forged one', async () => {
    const { cookie } = await seedSession();
    expect(
      (await request(stack.gateway.url).get('/auth/session').set('Cookie', cookie)).status,
    ).toBe(200);
    const forged = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const res = await request(stack.gateway.url).get('/auth/session').set('Cookie', forged);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ANONYMOUS');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('should answer 503 within the Redis timeout while Redis hangs, and delete nothing', async () => {
    const { key, cookie } = await seedSession();
    stack.redisServer!.pause();
    try {
      const started = Date.now();
      const res = await request(stack.gateway.url).get('/auth/session').set('Cookie', cookie);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        code: 'SESSION_STORE_UNAVAILABLE',
        request_id: res.headers['x-request-id'],
      });
      expect(res.headers['retry-after']).toBe('1');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      stack.redisServer!.resume();
    }
    expect(await exists(key)).toBe(true);
    expect(
      (await request(stack.gateway.url).get('/auth/session').set('Cookie', cookie)).status,
    ).toBe(200);
  });

  it('should answer 503 quickly when Redis is down, still serve anonymous requests, and recover', async () => {
    const { cookie } = await seedSession();
    await stack.redisServer!.stop();
    try {
      const started = Date.now();
      const res = await request(stack.gateway.url).get('/auth/session').set('Cookie', cookie);
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('SESSION_STORE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(2000);
      // no cookie, no store lookup: the anonymous view needs no Redis
      expect((await request(stack.gateway.url).get('/auth/session')).status).toBe(200);
      expect((await request(stack.gateway.url).get('/healthz')).status).toBe(200);
    } finally {
      await stack.redisServer!.start();
    }
    const { cookie: fresh } = await seedSession();
    const { waitFor } = await import('./helpers/wait-for');
    await waitFor(
      async () =>
        (await request(stack.gateway.url).get('/auth/session').set('Cookie', fresh)).status === 200,
      10_000,
      'reconnect',
    );
  });
});
