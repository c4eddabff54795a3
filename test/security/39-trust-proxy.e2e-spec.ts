import request from 'supertest';
import { BrowserClient } from '../helpers/browser-client';
import { createTestApp, TestApp } from '../helpers/create-test-app';
import {
  ADMIN_TOKEN,
  COOKIE,
  oauthLogin,
  parseSetCookie,
  PASSWORD,
  setCookieLines,
  useSecurityStack,
  USERS,
} from './helpers';

const PUBLIC = 'https://portal.example.com';
const SPOOFED = {
  'X-Forwarded-For': '203.0.113.9',
  'X-Forwarded-Host': 'evil.example',
  'X-Forwarded-Proto': 'http',
  Forwarded: 'for=203.0.113.9;host=evil.example;proto=http',
};

/**
 * docs/security.md 39 (issue 6: TRUST_PROXY as CIDRs): forwarded headers count only from the
 * configured proxies. The test client connects from 127.0.0.1. With TRUST_PROXY naming other
 * networks it is an untrusted peer: its X-Forwarded-* change neither the client IP (the admin
 * API's login `ip`, the relay's X-Forwarded-For, the per-IP rate limit), nor the OAuth
 * redirect_uri and landing URL, nor the cookie. With TRUST_PROXY=loopback (or a CIDR holding
 * 127.0.0.1) the forwarded client address is used, and still nothing else.
 */
describe('39: X-Forwarded-* are honoured only from TRUST_PROXY', () => {
  let loopback: TestApp;
  let cidr: TestApp;
  // Declared ahead of the stack's hooks: after* hooks run in declaration order, and the two
  // instances must close before the Redis and OneAccess they share.
  afterAll(async () => {
    await cidr?.close();
    await loopback?.close();
  });
  const suite = useSecurityStack({
    env: {
      PUBLIC_ORIGIN: PUBLIC,
      TRUST_PROXY: '10.0.0.0/8, 192.168.0.0/16',
      RATE_LIMITS: JSON.stringify({ captcha_per_ip: 3 }),
    },
  });
  beforeAll(async () => {
    const shared = { ...suite.stack.env };
    loopback = await createTestApp({
      ...shared,
      TRUST_PROXY: 'loopback',
      REDIS_KEY_PREFIX: `${suite.stack.keyPrefix}lo:`,
    });
    cidr = await createTestApp({
      ...shared,
      TRUST_PROXY: '127.0.0.0/8',
      REDIS_KEY_PREFIX: `${suite.stack.keyPrefix}ci:`,
    });
  });

  /** A browser behind the (possibly untrusted) proxy that adds SPOOFED to every call. */
  const spoofing = (url: string) => {
    const b = new BrowserClient(url, [], PUBLIC);
    Object.assign(b.headers, SPOOFED);
    return b;
  };
  const loginIp = async (url: string, userAgent: string) => {
    const res = await request(url)
      .get('/admin/sessions')
      .query({ user_id: USERS.plain.id })
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    return (res.body.sessions as { ip: string; user_agent: string }[]).find(
      (s) => s.user_agent === userAgent,
    )?.ip;
  };

  async function signIn(url: string): Promise<BrowserClient> {
    const b = spoofing(url);
    b.headers['User-Agent'] = `trust-proxy-test/${Math.random().toString(36).slice(2)}`;
    const res = await b.post('/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    expect(res.body.status).toBe('SUCCESS');
    // The cookie is the same whatever the forwarded scheme and host say.
    const cookie = parseSetCookie(res.setCookie.find((c) => c.startsWith(`${COOKIE}=`))!);
    expect([...cookie.attrs.keys()].sort()).toEqual(['httponly', 'path', 'samesite', 'secure']);
    expect(cookie.attrs.get('path')).toBe('/');
    expect(cookie.attrs.get('samesite')).toBe('Strict');
    return b;
  }

  it("should ignore an untrusted peer's forwarded client address everywhere the gateway uses one", async () => {
    const b = await signIn(suite.stack.url);
    expect(await loginIp(suite.stack.url, b.headers['User-Agent'])).toBe('127.0.0.1');
    expect((await b.get('/api/byid/x')).status).toBe(200);
    const seen = suite.stack.upstream.seen.at(-1)!.headers;
    expect(seen['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen['x-forwarded-host']).toBe('portal.example.com');
    expect(seen['x-forwarded-proto']).toBe('https');
    expect(seen.forwarded).toBeUndefined();
    // Rate limits count the peer, however many addresses it claims to forward for.
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const c = spoofing(suite.stack.url);
      c.headers['X-Forwarded-For'] = `198.51.100.${i}`;
      statuses.push((await c.get('/auth/captcha')).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('should build the OAuth redirect_uri and landing URL from PUBLIC_ORIGIN, whatever the headers say', async () => {
    for (const url of [suite.stack.url, loopback.url]) {
      const run = await oauthLogin(url, '/after', SPOOFED);
      expect(run.authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC}/auth/oauth/callback`);
      expect(run.callback.origin).toBe(PUBLIC);
      expect(run.done.headers.location).toBe(`${PUBLIC}/after`);
      for (const line of setCookieLines(run.done)) {
        expect(line).toMatch(/; Secure/);
        expect(line).not.toMatch(/Domain/i);
      }
    }
  });

  it('should keep refusing a foreign Origin even when the forwarded host claims to be it', async () => {
    const res = await request(suite.stack.url)
      .post('/auth/login/password')
      .set(SPOOFED)
      .set('X-CSRF', '1')
      .set('Origin', 'https://evil.example')
      .set('Content-Type', 'application/json')
      .send({ user_name: USERS.plain.user_name, password: PASSWORD });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_REJECTED');
  });

  it('should use the forwarded client address from a trusted proxy (loopback or a CIDR), and nothing else', async () => {
    for (const url of [loopback.url, cidr.url]) {
      const b = await signIn(url);
      expect(await loginIp(url, b.headers['User-Agent'])).toBe('203.0.113.9');
      expect((await b.get('/api/byid/x')).status).toBe(200);
      const seen = suite.stack.upstream.seen.at(-1)!.headers;
      expect(seen['x-forwarded-for']).toBe('203.0.113.9');
      expect(seen['x-forwarded-host']).toBe('portal.example.com');
      expect(seen['x-forwarded-proto']).toBe('https');
    }
  });
});
