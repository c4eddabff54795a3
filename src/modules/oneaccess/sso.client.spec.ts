import { UpstreamError } from '../../common/errors/app-error';
import { failure } from '../../../test/helpers/oneaccess-mock';
import {
  ENDPOINT,
  DEVICE,
  DEVICE_FIELDS,
  TOKEN_PATH,
  TICKET_PATH,
  VERIFY_PATH,
  REFRESH_PATH,
  TICKET,
  useSsoMock,
} from '../../../test/helpers/sso-fixture';
import { toSsoUser } from './sso.client';

const fx = useSsoMock();

describe('SsoClient requests', () => {
  it('should fetch the tenant token with a form-encoded client_credentials grant', async () => {
    fx.serveTenantToken('tt-1');
    fx.answer('POST', TICKET_PATH, 200, TICKET);

    await fx.build().createSsoTicket(DEVICE, 'sess-1');

    const token = fx.seen[0];
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
    fx.serveTenantToken('tt-1');
    fx.answer('POST', TICKET_PATH, 200, TICKET);

    await expect(fx.build().createSsoTicket(DEVICE, 'sess-1')).resolves.toEqual(TICKET);

    const req = fx.seen[1];
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
    fx.serveTenantToken('tt-1');
    fx.answer('POST', VERIFY_PATH, 200, {
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

    const user = await fx.build().verifySsoTicket(DEVICE, 'ssoTicket-abc');

    expect(user).toEqual({
      id: 'u-1',
      userName: 'zhangsan',
      name: 'Zhang San',
      mobile: '13800000000',
      email: 'z@example.com',
    });
    expect(fx.seen[1].headers.Authorization).toBe('Bearer tt-1');
    expect(JSON.parse(fx.seen[1].body!)).toEqual({ sso_ticket: 'ssoTicket-abc', ...DEVICE_FIELDS });
  });

  it('should refresh a session token with session_token and the device fields', async () => {
    fx.serveTenantToken('tt-1');
    fx.answer('POST', REFRESH_PATH, 200, {
      session_token: 'sess-2',
      id_token: 'eyJ.id',
      expire: 43200,
    });

    await expect(fx.build().refreshSessionToken(DEVICE, 'sess-1')).resolves.toEqual({
      session_token: 'sess-2',
      id_token: 'eyJ.id',
      expire: 43200,
    });

    expect(fx.seen[1].path).toBe(REFRESH_PATH);
    expect(JSON.parse(fx.seen[1].body!)).toEqual({ session_token: 'sess-1', ...DEVICE_FIELDS });
  });

  it('should reject a refresh answer without session_token as UPSTREAM_BAD_RESPONSE', async () => {
    fx.serveTenantToken('tt-1');
    fx.answer('POST', REFRESH_PATH, 200, { id_token: 'eyJ.id' });

    await expect(failure(fx.build().refreshSessionToken(DEVICE, 'sess-1'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should reject a ticket answer without sso_ticket as UPSTREAM_BAD_RESPONSE', async () => {
    fx.serveTenantToken('tt-1');
    fx.answer('POST', TICKET_PATH, 200, { expire: 300 });

    await expect(failure(fx.build().createSsoTicket(DEVICE, 'sess-1'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should get a user by id with the id escaped in the path and no body', async () => {
    fx.serveTenantToken('tt-1');
    fx.answer('GET', '/api/v2/tenant/users/u%2F1%3Fx', 200, {
      user_id: 'u/1?x',
      user_name: 'zhangsan',
      disabled: false,
    });

    await expect(fx.build().getUser('u/1?x')).resolves.toEqual({
      user_id: 'u/1?x',
      user_name: 'zhangsan',
      disabled: false,
    });

    expect(fx.seen[1].headers).toEqual({
      accept: 'application/json',
      Authorization: 'Bearer tt-1',
      'X-tenant-id': 'tenant-9',
    });
    expect(fx.seen[1].body).toBeUndefined();
  });

  it('should get a user by user name with user_name in the body', async () => {
    fx.serveTenantToken('tt-1');
    fx.answer('POST', '/api/v2/tenant/users/user-by-username', 200, {
      user_id: 'u-1',
      user_name: 'zhangsan',
    });

    await expect(fx.build().getUserByUserName('zhangsan')).resolves.toMatchObject({
      user_id: 'u-1',
    });

    expect(JSON.parse(fx.seen[1].body!)).toEqual({ user_name: 'zhangsan' });
  });

  it('should reject a tenant user without user_id as UPSTREAM_BAD_RESPONSE', async () => {
    fx.serveTenantToken('tt-1');
    fx.answer('GET', '/api/v2/tenant/users/u-1', 200, { user_name: 'zhangsan' });

    await expect(failure(fx.build().getUser('u-1'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });

  it('should send no X-tenant-id when none is configured', async () => {
    const noTenant = { ...ENDPOINT, tenantId: undefined };
    fx.serveTenantToken('tt-1');
    fx.answer('POST', TICKET_PATH, 200, TICKET);

    await fx.build(noTenant).createSsoTicket(DEVICE, 'sess-1');

    for (const req of fx.seen) expect(Object.keys(req.headers)).not.toContain('X-tenant-id');
  });

  it('should map a refused session token to UPSTREAM_REJECTED without retrying', async () => {
    fx.serveTenantToken('tt-1');
    fx.answer('POST', REFRESH_PATH, 400, {
      error_code: 'PARAM.0016',
      error_msg: 'session_token is invalid or expired',
    });

    const err = await failure(fx.build().refreshSessionToken(DEVICE, 'sess-old'));

    expect(err).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      upstreamCode: 'PARAM.0016',
      message: 'session_token is invalid or expired',
    });
    expect(fx.seen).toHaveLength(2);
  });

  it('should map an SSO call slower than timeoutMs to UPSTREAM_TIMEOUT', async () => {
    fx.serveTenantToken('tt-1');
    fx.answer('POST', TICKET_PATH, 200, TICKET).delay(500);

    await expect(
      failure(fx.build({ ...ENDPOINT, timeoutMs: 50 }).createSsoTicket(DEVICE, 's')),
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
    fx.serveTenantToken('tt-1');
    fx.answer('POST', VERIFY_PATH, 200, { id: 'u-1', userName: 'zs' });

    await expect(fx.build().verifySsoTicket(DEVICE, 't')).resolves.toEqual({
      id: 'u-1',
      userName: 'zs',
    });
  });
});
