import { failure } from '../../../test/helpers/oneaccess-mock';
import {
  DEVICE,
  TOKEN_PATH,
  TICKET_PATH,
  VERIFY_PATH,
  REFRESH_PATH,
  TICKET,
  REAL_TIMERS,
  T0,
  useSsoMock,
} from '../../../test/helpers/sso-fixture';

const fx = useSsoMock();

describe('SsoClient tenant token cache', () => {
  it('should fetch the tenant token once for several sequential calls', async () => {
    fx.serveTenantToken('tt-1');
    fx.answer('POST', TICKET_PATH, 200, TICKET);
    fx.answer('POST', VERIFY_PATH, 200, { id: 'u-1' });
    fx.answer('POST', REFRESH_PATH, 200, { session_token: 's2', expire: 1 });
    const client = fx.build();

    await client.createSsoTicket(DEVICE, 's');
    await client.verifySsoTicket(DEVICE, 't');
    await client.refreshSessionToken(DEVICE, 's');

    expect(fx.tokenCalls()).toBe(1);
    expect(fx.bearers()).toEqual(['Bearer tt-1', 'Bearer tt-1', 'Bearer tt-1']);
  });

  it('should share one token fetch between concurrent callers', async () => {
    fx.serveTenantToken('tt-1');
    for (let i = 0; i < 3; i++) fx.answer('POST', TICKET_PATH, 200, TICKET);
    const client = fx.build();

    await Promise.all([
      client.createSsoTicket(DEVICE, 'a'),
      client.createSsoTicket(DEVICE, 'b'),
      client.createSsoTicket(DEVICE, 'c'),
    ]);

    expect(fx.tokenCalls()).toBe(1);
  });

  it('should keep the token until 10 % of a long lifetime remains, then renew it', async () => {
    jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: T0 });
    fx.serveTenantToken('tt-1', 1800);
    fx.answer('POST', TICKET_PATH, 200, TICKET);
    fx.answer('POST', TICKET_PATH, 200, TICKET);
    fx.serveTenantToken('tt-2', 1800);
    fx.answer('POST', TICKET_PATH, 200, TICKET);
    const client = fx.build();

    await client.createSsoTicket(DEVICE, 's');
    jest.setSystemTime(T0 + (1800 - 181) * 1000);
    await client.createSsoTicket(DEVICE, 's');
    jest.setSystemTime(T0 + (1800 - 179) * 1000);
    await client.createSsoTicket(DEVICE, 's');

    expect(fx.tokenCalls()).toBe(2);
    expect(fx.bearers()).toEqual(['Bearer tt-1', 'Bearer tt-1', 'Bearer tt-2']);
  });

  it('should renew a short-lived token when less than 60 s remains', async () => {
    jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: T0 });
    // Documented as Integer, typed String on some pages: both are read.
    fx.serveTenantToken('tt-1', '300');
    fx.answer('POST', TICKET_PATH, 200, TICKET);
    fx.answer('POST', TICKET_PATH, 200, TICKET);
    fx.serveTenantToken('tt-2', 300);
    fx.answer('POST', TICKET_PATH, 200, TICKET);
    const client = fx.build();

    await client.createSsoTicket(DEVICE, 's');
    jest.setSystemTime(T0 + 239_000);
    await client.createSsoTicket(DEVICE, 's');
    jest.setSystemTime(T0 + 241_000);
    await client.createSsoTicket(DEVICE, 's');

    expect(fx.bearers()).toEqual(['Bearer tt-1', 'Bearer tt-1', 'Bearer tt-2']);
  });

  it('should renew a token that has expired', async () => {
    jest.useFakeTimers({ doNotFake: [...REAL_TIMERS], now: T0 });
    fx.serveTenantToken('tt-1');
    fx.answer('POST', TICKET_PATH, 200, TICKET);
    fx.serveTenantToken('tt-2');
    fx.answer('POST', TICKET_PATH, 200, TICKET);
    const client = fx.build();

    await client.createSsoTicket(DEVICE, 's');
    jest.setSystemTime(T0 + 3600_000);
    await client.createSsoTicket(DEVICE, 's');

    expect(fx.bearers()).toEqual(['Bearer tt-1', 'Bearer tt-2']);
  });

  it('should drop a token refused with 401, fetch a new one and retry once', async () => {
    fx.serveTenantToken('tt-1');
    fx.answer('POST', VERIFY_PATH, 401, '');
    fx.serveTenantToken('tt-2');
    fx.answer('POST', VERIFY_PATH, 200, { id: 'u-1' });
    fx.answer('POST', TICKET_PATH, 200, TICKET);
    const client = fx.build();

    await expect(client.verifySsoTicket(DEVICE, 't')).resolves.toEqual({ id: 'u-1' });
    await client.createSsoTicket(DEVICE, 's');

    expect(fx.tokenCalls()).toBe(2);
    expect(fx.bearers()).toEqual(['Bearer tt-1', 'Bearer tt-2', 'Bearer tt-2']);
    expect(JSON.parse(fx.seen[3].body!)).toEqual(JSON.parse(fx.seen[1].body!));
  });

  it('should retry once after a 400 whose message names the access token', async () => {
    fx.serveTenantToken('tt-1');
    fx.answer('GET', '/api/v2/tenant/users/u-1', 400, {
      error_code: 'AUTH.0001',
      error_msg: 'Invalid access_token',
    });
    fx.serveTenantToken('tt-2');
    fx.answer('GET', '/api/v2/tenant/users/u-1', 200, { user_id: 'u-1' });

    await expect(fx.build().getUser('u-1')).resolves.toEqual({ user_id: 'u-1' });

    expect(fx.bearers()).toEqual(['Bearer tt-1', 'Bearer tt-2']);
  });

  it('should give up when the new token is refused too', async () => {
    fx.serveTenantToken('tt-1');
    fx.answer('POST', TICKET_PATH, 401, '');
    fx.serveTenantToken('tt-2');
    fx.answer('POST', TICKET_PATH, 401, {
      error_code: 'AUTH.0001',
      error_msg: 'Invalid access token',
    });

    const err = await failure(fx.build().createSsoTicket(DEVICE, 's'));

    expect(err).toMatchObject({
      code: 'UPSTREAM_REJECTED',
      upstreamCode: 'AUTH.0001',
      upstreamStatus: 401,
    });
    expect(fx.tokenCalls()).toBe(2);
  });

  it('should not cache a failed token fetch', async () => {
    fx.answer('POST', TOKEN_PATH, 400, {
      error_code: 'APP.0003',
      error_msg: 'Application disabled.',
    });
    fx.serveTenantToken('tt-1');
    fx.answer('POST', TICKET_PATH, 200, TICKET);
    const client = fx.build();

    const err = await failure(client.createSsoTicket(DEVICE, 's'));
    expect(err).toMatchObject({ code: 'UPSTREAM_REJECTED', upstreamCode: 'APP.0003' });
    await client.createSsoTicket(DEVICE, 's');

    expect(fx.bearers()).toEqual(['Bearer tt-1']);
  });

  it('should reject a token answer without access_token as UPSTREAM_BAD_RESPONSE', async () => {
    fx.answer('POST', TOKEN_PATH, 200, { token_type: 'Bearer', expires_in: 1800 });

    await expect(failure(fx.build().createSsoTicket(DEVICE, 's'))).resolves.toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
    });
  });
});
