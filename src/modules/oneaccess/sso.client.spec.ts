import { Logger } from '@nestjs/common';
import { UpstreamError } from '../../common/errors/app-error';
import { DeviceContext } from './device-context';
import { OneAccessEndpoint } from './oneaccess-endpoint';
import { OneAccessTransport } from './oneaccess-transport';
import { failure, OneAccessMock, SeenRequest } from '../../../test/helpers/oneaccess-mock';
import { SsoClient, toSsoUser } from './sso.client';

const ORIGIN = 'https://oneaccess.test';
const ENDPOINT: OneAccessEndpoint = {
  baseUrl: ORIGIN,
  publicUrl: ORIGIN,
  clientId: 'client-1',
  // Characters that form encoding must escape.
  clientSecret: 's&cr=t+/é',
  tenantId: 'tenant-9',
  timeoutMs: 2000,
  embedded: false,
};
const DEVICE: DeviceContext = {
  ip: '203.0.113.7',
  agent: 'Mozilla/5.0 Test',
  osVersion: 'Android 14',
  fingerprint: 'fp_0123456789',
  lang: 'en',
};
const DEVICE_FIELDS = {
  operating_sys_version: 'Android 14',
  device_ip: '203.0.113.7',
  device_fingerprint: 'fp_0123456789',
  agent: 'Mozilla/5.0 Test',
};
const TOKEN_PATH = '/api/v2/tenant/token';
const TICKET_PATH = '/api/v2/tenant/sso/session-token/sso-ticket';
const VERIFY_PATH = '/api/v2/tenant/sso/sso-ticket/verify';
const REFRESH_PATH = '/api/v2/tenant/sso/session-token/refresh';
const TICKET = { expire: 300, sso_ticket: 'ssoTicket-abc' };
/** Faking only Date lets the cache's clock move while undici's own timers and AbortSignal.timeout stay real. */
const REAL_TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;
const T0 = Date.UTC(2026, 0, 1);

let mock: OneAccessMock;
/** The current test's requests, in order (the mock's record). */
let seen: SeenRequest[];
const answer: OneAccessMock['answer'] = (...args) => mock.answer(...args);

function serveTenantToken(token: string, expiresIn: unknown = 1800): void {
  answer('POST', TOKEN_PATH, 200, {
    access_token: token,
    token_type: 'Bearer',
    expires_in: expiresIn,
    scope: 'all',
  });
}

function build(endpoint: OneAccessEndpoint = ENDPOINT): SsoClient {
  return new SsoClient(new OneAccessTransport(mock.agent, endpoint), endpoint);
}

const tokenCalls = (): number => seen.filter((r) => r.path === TOKEN_PATH).length;
const bearers = (): string[] =>
  seen.filter((r) => r.path !== TOKEN_PATH).map((r) => r.headers.Authorization);

// The transport logs every call at debug level; keep the test output to the results.
beforeAll(() => {
  Logger.overrideLogger(false);
});

beforeEach(() => {
  mock = new OneAccessMock(ORIGIN);
  seen = mock.seen;
});

afterEach(async () => {
  jest.useRealTimers();
  await mock.close();
});

describe('SsoClient requests', () => {
  it('should fetch the tenant token with a form-encoded client_credentials grant', async () => {
    serveTenantToken('tt-1');
    answer('POST', TICKET_PATH, 200, TICKET);

    await build().createSsoTicket(DEVICE, 'sess-1');

    const token = seen[0];
    expect(token.method).toBe('POST');
    expect(token.path).toBe(TOKEN_PATH);
    expect(token.headers).toEqual({
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      'X-tenant-id': 'tenant-9',
    });
    expect(token.body).toBe(
      'grant_type=client_credentials&client_id=client-1&client_secret=s%26cr%3Dt%2B%2F%C3%A9',
    );
  });

  it('should create an SSO ticket with the Bearer token and the device fields in the body', async () => {
    serveTenantToken('tt-1');
    answer('POST', TICKET_PATH, 200, TICKET);

    await expect(build().createSsoTicket(DEVICE, 'sess-1')).resolves.toEqual(TICKET);

    const req = seen[1];
    expect(req.method).toBe('POST');
    expect(req.path).toBe(TICKET_PATH);
    // Server to server: no SDK X-* device headers, no X-client-id.
    expect(req.headers).toEqual({
      accept: 'application/json',
      'content-type': 'application/json;charset=utf8',
      Authorization: 'Bearer tt-1',
      'X-tenant-id': 'tenant-9',
    });
    expect(JSON.parse(req.body!)).toEqual({ session_token: 'sess-1', ...DEVICE_FIELDS });
  });

  it('should verify an SSO ticket with sso_ticket and the device fields', async () => {
    serveTenantToken('tt-1');
    answer('POST', VERIFY_PATH, 200, {
      code: '0',
      message: 'success',
      data: {
        user: {
          userName: 'zhangsan',
          id: 'u-1',
          name: 'Zhang San',
          mobile: '13800000000',
          email: 'z@example.com',
        },
      },
    });

    const user = await build().verifySsoTicket(DEVICE, 'ssoTicket-abc');

    expect(user).toEqual({
      id: 'u-1',
      userName: 'zhangsan',
      name: 'Zhang San',
      mobile: '13800000000',
      email: 'z@example.com',
    });
    expect(seen[1].headers.Authorization).toBe('Bearer tt-1');
    expect(JSON.parse(seen[1].body!)).toEqual({ sso_ticket: 'ssoTicket-abc', ...DEVICE_FIELDS });
  });

  it('should refresh a session token with session_token and the device fields', async () => {
    serveTenantToken('tt-1');
    answer('POST', REFRESH_PATH, 200, {
      session_token: 'sess-2',
      id_token: 'eyJ.id',
      expire: 43200,
    });

    await expect(build().refreshSessionToken(DEVICE, 'sess-1')).resolves.toEqual({
      session_token: 'sess-2',
      id_token: 'eyJ.id',
      expire: 43200,
    });

    expect(seen[1].path).toBe(REFRESH_PATH);
    expect(JSON.parse(seen[1].body!)).toEqual({ session_token: 'sess-1', ...DEVICE_FIELDS });
  });

  it('should reject a refresh answer without session_token as UPSTREAM_BAD_RESPONSE', async () => {
    serveTenantToken('tt-1');
    answer('POST', REFRESH_PATH, 200, { id_token: 'eyJ.id' });

    await expect(failure(build().refreshSessionToken(DEVICE, 'sess-1'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should reject a ticket answer without sso_ticket as UPSTREAM_BAD_RESPONSE', async () => {
    serveTenantToken('tt-1');
    answer('POST', TICKET_PATH, 200, { expire: 300 });

    await expect(failure(build().createSsoTicket(DEVICE, 'sess-1'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should get a user by id with the id escaped in the path and no body', async () => {
    serveTenantToken('tt-1');
    answer('GET', '/api/v2/tenant/users/u%2F1%3Fx', 200, {
      user_id: 'u/1?x',
      user_name: 'zhangsan',
      disabled: false,
    });

    await expect(build().getUser('u/1?x')).resolves.toEqual({
      user_id: 'u/1?x',
      user_name: 'zhangsan',
      disabled: false,
    });

    expect(seen[1].headers).toEqual({
      accept: 'application/json',
      Authorization: 'Bearer tt-1',
      'X-tenant-id': 'tenant-9',
    });
    expect(seen[1].body).toBeUndefined();
  });

  it('should get a user by user name with user_name in the body', async () => {
    serveTenantToken('tt-1');
    answer('POST', '/api/v2/tenant/users/user-by-username', 200, {
      user_id: 'u-1',
      user_name: 'zhangsan',
    });

    await expect(build().getUserByUserName('zhangsan')).resolves.toMatchObject({ user_id: 'u-1' });

    expect(JSON.parse(seen[1].body!)).toEqual({ user_name: 'zhangsan' });
  });

  it('should reject a tenant user without user_id as UPSTREAM_BAD_RESPONSE', async () => {
    serveTenantToken('tt-1');
    answer('GET', '/api/v2/tenant/users/u-1', 200, { user_name: 'zhangsan' });

    await expect(failure(build().getUser('u-1'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should send no X-tenant-id when none is configured', async () => {
    const noTenant = { ...ENDPOINT, tenantId: undefined };
    serveTenantToken('tt-1');
    answer('POST', TICKET_PATH, 200, TICKET);

    await build(noTenant).createSsoTicket(DEVICE, 'sess-1');

    for (const req of seen) expect(Object.keys(req.headers)).not.toContain('X-tenant-id');
  });

  it('should map a refused session token to UPSTREAM_REJECTED without retrying', async () => {
    serveTenantToken('tt-1');
    answer('POST', REFRESH_PATH, 400, {
      error_code: 'PARAM.0016',
      error_msg: 'session_token is invalid or expired',
    });

    const err = await failure(build().refreshSessionToken(DEVICE, 'sess-old'));

    expect(err).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      upstreamCode: 'PARAM.0016',
      message: 'session_token is invalid or expired',
    });
    expect(seen).toHaveLength(2);
  });

  it('should map an SSO call slower than timeoutMs to UPSTREAM_TIMEOUT', async () => {
    serveTenantToken('tt-1');
    answer('POST', TICKET_PATH, 200, TICKET).delay(500);

    await expect(
      failure(build({ ...ENDPOINT, timeoutMs: 50 }).createSsoTicket(DEVICE, 's')),
    ).resolves.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
  });
});

describe('SsoClient verify answer shapes', () => {
  it('should read the flat Bamboo shape', () => {
    expect(
      toSsoUser({
        id: 'u-1',
        userName: 'zs',
        name: 'Z',
        mobile: '+86-18310136755',
        email: 'z@e.com',
      }),
    ).toEqual({
      id: 'u-1',
      userName: 'zs',
      name: 'Z',
      mobile: '+86-18310136755',
      email: 'z@e.com',
    });
  });

  it('should read the nested Huawei shape and ignore code and message', () => {
    expect(
      toSsoUser({ code: '200', message: 'ok', data: { user: { id: 'u-2', userName: 'ls' } } }),
    ).toEqual({ id: 'u-2', userName: 'ls' });
  });

  it('should accept snake_case user_id and user_name and drop empty or extra fields', () => {
    expect(
      toSsoUser({ data: { user: { user_id: 'u-3', user_name: 'ww', email: '', role: 'admin' } } }),
    ).toEqual({ id: 'u-3', userName: 'ww' });
  });

  it('should treat a nested answer with a non-success code and no user as a refusal', () => {
    let err: unknown;
    try {
      toSsoUser({ code: 'SSO.0003', message: 'Ticket expired', data: null });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      upstreamCode: 'SSO.0003',
      message: 'Ticket expired',
    });
  });

  it.each([
    ['an empty object', {}],
    ['a success code without a user', { code: '0', message: 'success', data: {} }],
    ['a user without id', { data: { user: { userName: 'zs' } } }],
    ['a numeric id', { id: 42 }],
  ])('should reject %s as UPSTREAM_BAD_RESPONSE', (_name, body) => {
    expect(() => toSsoUser(body)).toThrow(
      expect.objectContaining({ code: 'UPSTREAM_BAD_RESPONSE' }),
    );
  });

  it('should verify a flat answer end to end', async () => {
    serveTenantToken('tt-1');
    answer('POST', VERIFY_PATH, 200, { id: 'u-1', userName: 'zs' });

    await expect(build().verifySsoTicket(DEVICE, 't')).resolves.toEqual({
      id: 'u-1',
      userName: 'zs',
    });
  });
});

describe('SsoClient tenant token cache', () => {
  it('should fetch the tenant token once for several sequential calls', async () => {
    serveTenantToken('tt-1');
    answer('POST', TICKET_PATH, 200, TICKET);
    answer('POST', VERIFY_PATH, 200, { id: 'u-1' });
    answer('POST', REFRESH_PATH, 200, { session_token: 's2', expire: 1 });
    const client = build();

    await client.createSsoTicket(DEVICE, 's');
    await client.verifySsoTicket(DEVICE, 't');
    await client.refreshSessionToken(DEVICE, 's');

    expect(tokenCalls()).toBe(1);
    expect(bearers()).toEqual(['Bearer tt-1', 'Bearer tt-1', 'Bearer tt-1']);
  });

  it('should share one token fetch between concurrent callers', async () => {
    serveTenantToken('tt-1');
    for (let i = 0; i < 3; i++) answer('POST', TICKET_PATH, 200, TICKET);
    const client = build();

    await Promise.all([
      client.createSsoTicket(DEVICE, 'a'),
      client.createSsoTicket(DEVICE, 'b'),
      client.createSsoTicket(DEVICE, 'c'),
    ]);

    expect(tokenCalls()).toBe(1);
  });

  it('should keep the token until 10 % of a long lifetime remains, then renew it', async () => {
    jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: T0 });
    serveTenantToken('tt-1', 1800);
    answer('POST', TICKET_PATH, 200, TICKET);
    answer('POST', TICKET_PATH, 200, TICKET);
    serveTenantToken('tt-2', 1800);
    answer('POST', TICKET_PATH, 200, TICKET);
    const client = build();

    await client.createSsoTicket(DEVICE, 's');
    jest.setSystemTime(T0 + (1800 - 181) * 1000);
    await client.createSsoTicket(DEVICE, 's');
    jest.setSystemTime(T0 + (1800 - 179) * 1000);
    await client.createSsoTicket(DEVICE, 's');

    expect(tokenCalls()).toBe(2);
    expect(bearers()).toEqual(['Bearer tt-1', 'Bearer tt-1', 'Bearer tt-2']);
  });

  it('should renew a short-lived token when less than 60 s remains', async () => {
    jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: T0 });
    // Documented as Integer, typed String on some pages: both are read.
    serveTenantToken('tt-1', '300');
    answer('POST', TICKET_PATH, 200, TICKET);
    answer('POST', TICKET_PATH, 200, TICKET);
    serveTenantToken('tt-2', 300);
    answer('POST', TICKET_PATH, 200, TICKET);
    const client = build();

    await client.createSsoTicket(DEVICE, 's');
    jest.setSystemTime(T0 + 239_000);
    await client.createSsoTicket(DEVICE, 's');
    jest.setSystemTime(T0 + 241_000);
    await client.createSsoTicket(DEVICE, 's');

    expect(bearers()).toEqual(['Bearer tt-1', 'Bearer tt-1', 'Bearer tt-2']);
  });

  it('should renew a token that has expired', async () => {
    jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: T0 });
    serveTenantToken('tt-1');
    answer('POST', TICKET_PATH, 200, TICKET);
    serveTenantToken('tt-2');
    answer('POST', TICKET_PATH, 200, TICKET);
    const client = build();

    await client.createSsoTicket(DEVICE, 's');
    jest.setSystemTime(T0 + 3600_000);
    await client.createSsoTicket(DEVICE, 's');

    expect(bearers()).toEqual(['Bearer tt-1', 'Bearer tt-2']);
  });

  it('should drop a token refused with 401, fetch a new one and retry once', async () => {
    serveTenantToken('tt-1');
    answer('POST', VERIFY_PATH, 401, '');
    serveTenantToken('tt-2');
    answer('POST', VERIFY_PATH, 200, { id: 'u-1' });
    answer('POST', TICKET_PATH, 200, TICKET);
    const client = build();

    await expect(client.verifySsoTicket(DEVICE, 't')).resolves.toEqual({ id: 'u-1' });
    await client.createSsoTicket(DEVICE, 's');

    expect(tokenCalls()).toBe(2);
    expect(bearers()).toEqual(['Bearer tt-1', 'Bearer tt-2', 'Bearer tt-2']);
    expect(JSON.parse(seen[3].body!)).toEqual(JSON.parse(seen[1].body!));
  });

  it('should retry once after a 400 whose message names the access token', async () => {
    serveTenantToken('tt-1');
    answer('GET', '/api/v2/tenant/users/u-1', 400, {
      error_code: 'AUTH.0001',
      error_msg: 'Invalid access_token',
    });
    serveTenantToken('tt-2');
    answer('GET', '/api/v2/tenant/users/u-1', 200, { user_id: 'u-1' });

    await expect(build().getUser('u-1')).resolves.toEqual({ user_id: 'u-1' });

    expect(bearers()).toEqual(['Bearer tt-1', 'Bearer tt-2']);
  });

  it('should give up when the new token is refused too', async () => {
    serveTenantToken('tt-1');
    answer('POST', TICKET_PATH, 401, '');
    serveTenantToken('tt-2');
    answer('POST', TICKET_PATH, 401, {
      error_code: 'AUTH.0001',
      error_msg: 'Invalid access token',
    });

    const err = await failure(build().createSsoTicket(DEVICE, 's'));

    expect(err).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      upstreamCode: 'AUTH.0001',
      upstreamStatus: 401,
    });
    expect(tokenCalls()).toBe(2);
  });

  it('should not cache a failed token fetch', async () => {
    answer('POST', TOKEN_PATH, 400, { error_code: 'APP.0003', error_msg: 'Application disabled.' });
    serveTenantToken('tt-1');
    answer('POST', TICKET_PATH, 200, TICKET);
    const client = build();

    const err = await failure(client.createSsoTicket(DEVICE, 's'));
    expect(err).toMatchObject({ code: 'UPSTREAM_REJECTED', upstreamCode: 'APP.0003' });
    await client.createSsoTicket(DEVICE, 's');

    expect(bearers()).toEqual(['Bearer tt-1']);
  });

  it('should reject a token answer without access_token as UPSTREAM_BAD_RESPONSE', async () => {
    answer('POST', TOKEN_PATH, 200, { token_type: 'Bearer', expires_in: 1800 });

    await expect(failure(build().createSsoTicket(DEVICE, 's'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });
});
