import { AuditLog } from '../audit/audit-log';
import { Logger } from '@nestjs/common';
import type { Request } from 'express';
import { loadSessionConfig } from '../../config/session.config';
import {
  DEFAULT_RATE_LIMITS,
  loadUpstreamsConfig,
  RateLimits,
} from '../../config/upstreams.config';
import { AppError } from '../errors/app-error';
import type { CommonMetrics } from '../metrics/common-metrics';
import { MemoryRateLimiter, RateLimiter, RateLimitResult } from './rate-limiter';
import { RateLimitService } from './rate-limit.service';
import { RequestContexts } from '../http/request-context';

/** A MemoryRateLimiter that remembers every key it was asked about. */
class RecordingLimiter implements RateLimiter {
  readonly keys = new Set<string>();
  private readonly inner = new MemoryRateLimiter();

  consume(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    this.keys.add(key);
    return this.inner.consume(key, limit, windowMs);
  }
  refund(key: string): Promise<void> {
    return this.inner.refund(key);
  }
  reset(key: string): Promise<void> {
    return this.inner.reset(key);
  }
}

/** The client address is the request context's, as the gateway's listener builds it. */
const contexts = new RequestContexts(false, 'http://localhost:3000', '');

function request(ip: string, body: unknown, session: Record<string, unknown> = {}): Request {
  const peer = { remoteAddress: ip };
  const req = { headers: {}, body, session, socket: peer, connection: peer } as unknown as Request;
  contexts.open(req).attach();
  return req;
}

/** The metrics port as a tally, `policy/limit` to count: what modules/metrics would export. */
class TallyMetrics implements CommonMetrics {
  readonly tally = new Map<string, number>();
  readonly redisErrors = { inc: () => this.add('redis') };
  readonly sessionCookiesRejected = { inc: () => this.add('session-cookie') };
  readonly rateLimited = {
    get: (policy: string, limit: string) => ({ inc: () => this.add(`${policy}/${limit}`) }),
  };
  private add(key: string): void {
    this.tally.set(key, (this.tally.get(key) ?? 0) + 1);
  }
}

function service(
  limits: Partial<RateLimits> | 'off' = {},
  limiter: RateLimiter = new RecordingLimiter(),
  metrics?: CommonMetrics,
) {
  const upstreams = loadUpstreamsConfig({
    RATE_LIMITS: limits === 'off' ? 'off' : JSON.stringify(limits),
  });
  const session = loadSessionConfig({});
  return new RateLimitService(limiter, upstreams, new AuditLog(session), metrics);
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

describe('RateLimitService', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('should refuse the request over the per-IP limit with RATE_LIMITED and Retry-After', async () => {
    const sut = service({ captcha_per_ip: 2 });
    await sut.check('captcha', request('10.0.0.1', {}));
    await sut.check('captcha', request('10.0.0.1', {}));
    const err = await rejection(sut.check('captcha', request('10.0.0.1', {})));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(err.retryAfterS).toBeGreaterThanOrEqual(1);
    expect(err.retryAfterS).toBeLessThanOrEqual(60);
    await expect(sut.check('captcha', request('10.0.0.2', {}))).resolves.toBeUndefined();
  });

  it('should count each refusal by policy and limit, and nothing for requests it lets through', async () => {
    const metrics = new TallyMetrics();
    const sut = service({ captcha_per_ip: 1 }, undefined, metrics);
    await sut.check('captcha', request('10.0.0.1', {}));
    expect(metrics.tally).toEqual(new Map());
    await rejection(sut.check('captcha', request('10.0.0.1', {})));
    await rejection(sut.check('captcha', request('10.0.0.1', {})));
    expect(metrics.tally).toEqual(new Map([['captcha/captcha_per_ip', 2]]));
  });

  it('should count only failed code checks, per mobile and address group, in each flow apart', async () => {
    const sut = service({ login_per_account: 2 });
    const attempt = async (
      ip: string,
      outcome: 'success' | 'invalid-credentials',
      policy: 'login-sms' | 'password-reset' = 'login-sms',
    ) => {
      const req = request(ip, { mobile: '13800000001', verify_code: '000000' });
      await sut.check(policy, req);
      await sut.settle(req, outcome);
    };
    await attempt('10.0.0.1', 'success');
    await attempt('10.0.0.1', 'success');
    await attempt('10.0.0.1', 'invalid-credentials');
    await attempt('10.0.0.1', 'invalid-credentials');
    // a padded variant of the same number from the same address shares the counter
    const padded = request('10.0.0.1', { mobile: ' 13800000001 ', verify_code: '000000' });
    expect(await rejection(sut.check('login-sms', padded))).toMatchObject({
      code: 'RATE_LIMITED',
    });
    // the stranger spent only their own share: another address, and another flow, are untouched
    await expect(
      sut.check('login-sms', request('10.0.0.2', { mobile: '13800000001' })),
    ).resolves.toBeUndefined();
    await expect(
      sut.check('password-reset', request('10.0.0.1', { mobile: '13800000001' })),
    ).resolves.toBeUndefined();
  });

  it('should count every address of one IPv6 /64 as one client, and honour RATE_LIMIT_IPV6_PREFIX', async () => {
    const sut = service({ captcha_per_ip: 2 });
    await sut.check('captcha', request('2001:db8:7:1::1', {}));
    await sut.check('captcha', request('2001:db8:7:1::2', {}));
    expect(
      await rejection(sut.check('captcha', request('2001:db8:7:1:ffff::3', {}))),
    ).toMatchObject({ code: 'RATE_LIMITED' });
    await expect(sut.check('captcha', request('2001:db8:7:2::1', {}))).resolves.toBeUndefined();
    // an IPv4-mapped address is the IPv4 client
    await sut.check('captcha', request('198.51.100.4', {}));
    await sut.check('captcha', request('::ffff:198.51.100.4', {}));
    expect(await rejection(sut.check('captcha', request('198.51.100.4', {})))).toMatchObject({
      code: 'RATE_LIMITED',
    });

    const per128 = new RateLimitService(
      new MemoryRateLimiter(),
      loadUpstreamsConfig({
        RATE_LIMITS: JSON.stringify({ captcha_per_ip: 1 }),
        RATE_LIMIT_IPV6_PREFIX: '128',
      }),
      new AuditLog(loadSessionConfig({})),
    );
    await per128.check('captcha', request('2001:db8:7:1::1', {}));
    await expect(per128.check('captcha', request('2001:db8:7:1::2', {}))).resolves.toBeUndefined();
  });

  it('should give back units that outcome-only counters hold when a later rule refuses', async () => {
    const sut = service({ sms_per_mobile_hour: 1 });
    const send = (ip: string) => request(ip, { mobile: '13800000001', purpose: 'login' });
    const first = send('10.0.0.1');
    await sut.check('sms-send', first);
    await sut.settle(first, 'success');
    expect(await rejection(sut.check('sms-send', send('10.0.0.1')))).toMatchObject({
      code: 'RATE_LIMITED',
    });
    // a send refused before reaching OneAccess (no captcha) costs the number nothing
    const other = request('10.0.0.1', { mobile: '13800000009', purpose: 'login' });
    await sut.check('sms-send', other);
    await sut.settle(other, 'other-error');
    const again = request('10.0.0.1', { mobile: '13800000009', purpose: 'login' });
    await expect(sut.check('sms-send', again)).resolves.toBeUndefined();
  });

  it("should key an MFA code request by the step's number, not by the body", async () => {
    const limiter = new RecordingLimiter();
    const sut = service({ sms_per_mobile_hour: 1 }, limiter);
    const step = {
      pending: {
        status: 'MFA_AUTH',
        mobile: '13800000002',
        expires_at: Date.now() + 60_000,
        state_token: 's',
        login_method: 'password',
      },
    };
    const mfa = request('10.0.0.1', { purpose: 'mfa', mobile: '13900000000' }, step);
    await sut.check('sms-send', mfa);
    expect(limiter.keys).toContain(`sms_per_mobile_hour:${sut.pseudonym('13800000002|10.0.0.1')}`);
    expect(limiter.keys).not.toContain(
      `sms_per_mobile_hour:${sut.pseudonym('13900000000|10.0.0.1')}`,
    );
  });

  it('should never put an IP, user name or mobile in a key in clear', async () => {
    const limiter = new RecordingLimiter();
    const sut = service(DEFAULT_RATE_LIMITS, limiter);
    await sut.check('login-password', request('192.168.7.9', { user_name: 'zhangsan' }));
    await sut.check('login-sms', request('192.168.7.9', { mobile: '13800000001' }));
    const keys = [...limiter.keys].join(' ');
    expect(keys).not.toMatch(/192\.168|zhangsan|13800000001/);
    expect([...limiter.keys]).toEqual(
      expect.arrayContaining([expect.stringMatching(/^login_sms_code_failures:[0-9a-f]{32}$/)]),
    );
  });

  it('should log one rate_limited line naming the policy, with hashes instead of IP and account', async () => {
    const sut = service({ login_per_account: 1 });
    const fail = async () => {
      const req = request('203.0.113.7', { mobile: '13899990000' });
      await sut.check('login-sms', req);
      await sut.settle(req, 'invalid-credentials');
    };
    await fail();
    await rejection(fail());
    expect(warn).toHaveBeenCalledTimes(1);
    const line = warn.mock.calls[0]![0] as Record<string, unknown>;
    expect(line).toEqual({
      audit: 'rate_limited',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      session: undefined,
      policy: 'login-sms',
      limit: 'login_sms_code_failures',
      // The audit line's pseudonyms use the log key, which outlives session-secret rotations.
      subject: new AuditLog(loadSessionConfig({})).pseudonym('13899990000|203.0.113.7'),
      client: new AuditLog(loadSessionConfig({})).pseudonym('203.0.113.7'),
      count: 2,
      retry_after_s: expect.any(Number),
    });
    expect(JSON.stringify(line)).not.toMatch(/13899990000|203\.0\.113/);
  });

  it('should skip the account rule when the body has no usable identifier', async () => {
    const limiter = new RecordingLimiter();
    const sut = service({}, limiter);
    await sut.check('login-sms', request('10.0.0.1', { mobile: 42 }));
    await sut.check('login-sms', request('10.0.0.1', 'not an object'));
    expect([...limiter.keys].every((k) => k.startsWith('login_per_ip:'))).toBe(true);
  });

  it('should answer 503 when the counters cannot be reached', async () => {
    const broken: RateLimiter = {
      consume: () => Promise.reject(new Error('Connection is closed.')),
      refund: () => Promise.reject(new Error('Connection is closed.')),
      reset: () => Promise.reject(new Error('Connection is closed.')),
    };
    const err = await rejection(service({}, broken).check('captcha', request('10.0.0.1', {})));
    expect(err).toMatchObject({ code: 'SESSION_STORE_UNAVAILABLE', status: 503 });
  });

  it('should do nothing when RATE_LIMITS=off', async () => {
    const limiter = new RecordingLimiter();
    const sut = service('off', limiter);
    expect(sut.enabled).toBe(false);
    for (let i = 0; i < 100; i++) await sut.check('captcha', request('10.0.0.1', {}));
    expect(limiter.keys.size).toBe(0);
  });
});
