import { DEVICE, startTestSimulator, waitFor, type SimClient } from './helpers/sim-test-kit';

const device = {
  operating_sys_version: DEVICE.os,
  device_ip: DEVICE.ip,
  device_fingerprint: DEVICE.fingerprint,
  agent: DEVICE.agent,
};

describe('tenant token, tenant user APIs and SSO', () => {
  let sim: SimClient;
  let bearer: string;

  beforeAll(async () => {
    sim = await startTestSimulator();
    bearer = await sim.tenantToken();
  });

  afterAll(() => sim.close());

  describe('tenant token', () => {
    it('should issue a UUID-like token by client credentials in a form body', async () => {
      const res = await sim.postForm('/api/v2/tenant/token', {
        grant_type: 'client_credentials',
        client_id: sim.sim.clientId,
        client_secret: sim.sim.clientSecret,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        ),
        token_type: 'Bearer',
        expires_in: expect.any(Number),
        scope: 'all',
        id_token: expect.stringMatching(/^eyJ/),
      });
      expect(res.body.expires_in).toBeLessThanOrEqual(1800);
    });

    it('should hand out the cached token with expires_in counting down', async () => {
      const fresh = await startTestSimulator({ lifetimes: { tenantToken: 3 } });
      try {
        const first = await fresh.postForm('/api/v2/tenant/token', {
          grant_type: 'client_credentials',
          client_id: fresh.sim.clientId,
          client_secret: fresh.sim.clientSecret,
        });
        expect(first.body.expires_in).toBe(3);
        let second = first;
        await waitFor(async () => {
          second = await fresh.postForm('/api/v2/tenant/token', {
            grant_type: 'client_credentials',
            client_id: fresh.sim.clientId,
            client_secret: fresh.sim.clientSecret,
          });
          return second.body.expires_in < 3;
        });
        expect(second.body.access_token).toBe(first.body.access_token);
        // After it runs out, a new one.
        let third = second;
        await waitFor(
          async () => {
            third = await fresh.postForm('/api/v2/tenant/token', {
              grant_type: 'client_credentials',
              client_id: fresh.sim.clientId,
              client_secret: fresh.sim.clientSecret,
            });
            return third.body.access_token !== first.body.access_token;
          },
          6000,
          200,
        );
        expect(third.body.expires_in).toBe(3);
      } finally {
        await fresh.close();
      }
    });

    it('should accept HTTP Basic and grant_type in the query', async () => {
      const basic = Buffer.from(`${sim.sim.clientId}:${sim.sim.clientSecret}`).toString('base64');
      const res = await sim.request('POST', '/api/v2/tenant/token?grant_type=client_credentials', {
        headers: {
          Authorization: `Basic ${basic}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: '',
      });
      expect(res.status).toBe(200);
      expect(res.body.access_token).toBe(bearer);
    });

    it('should reject bad credentials and a wrong grant_type with {error_code, error_msg}', async () => {
      const bad = await sim.postForm('/api/v2/tenant/token', {
        grant_type: 'client_credentials',
        client_id: sim.sim.clientId,
        client_secret: 'wrong',
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ error_code: 'TOKEN.0001', error_msg: 'Bad client credentials.' });
      const grant = await sim.postForm('/api/v2/tenant/token', {
        grant_type: 'password',
        client_id: sim.sim.clientId,
        client_secret: sim.sim.clientSecret,
      });
      expect(grant.body.error_code).toBe('PARAM.0007');
      const missing = await sim.postForm('/api/v2/tenant/token', {
        client_id: sim.sim.clientId,
        client_secret: sim.sim.clientSecret,
      });
      expect(missing.body.error_code).toBe('PARAM.0006');
    });
  });

  describe('tenant user APIs', () => {
    it('should return the User object by id', async () => {
      const res = await sim.request(
        'GET',
        '/api/v2/tenant/users/20210621095935811-5E16-6B3060ABC',
        { headers: { Authorization: `Bearer ${bearer}` } },
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        user_id: '20210621095935811-5E16-6B3060ABC',
        org_id: expect.any(String),
        user_name: 'zhangsan',
        name: '张三',
        mobile: '13800000001',
        email: 'zhangsan@example.com',
        pwd_must_modify: false,
        pwd_change_at: expect.any(String),
        created_at: expect.any(String),
        updated_at: expect.any(String),
        disabled: false,
        grade: expect.any(Number),
        locked: 'false',
        extension: { department: 'R&D' },
        user_org_relation_list: [{ org_id: expect.any(String), relation_type: '0' }],
      });
    });

    it('should require a valid Bearer token', async () => {
      const none = await sim.request(
        'GET',
        '/api/v2/tenant/users/20210621095935811-5E16-6B3060ABC',
      );
      expect(none.body).toEqual({
        error_code: 'PARAM.0016',
        error_msg: 'access_token is invalid or expired.',
      });
      const wrong = await sim.request(
        'GET',
        '/api/v2/tenant/users/20210621095935811-5E16-6B3060ABC',
        { headers: { Authorization: 'Bearer 334963fc-1e4a-473b-9096-52a929140000' } },
      );
      expect(wrong.body.error_code).toBe('PARAM.0016');
    });

    it('should find a user by user_name and report unknown users', async () => {
      const res = await sim.tenantPost('/api/v2/tenant/users/user-by-username', bearer, {
        user_name: 'lisi',
      });
      expect(res.body.user_id).toBe('20210621095935822-7A21-1C4D5E6F7');
      expect(
        (
          await sim.tenantPost('/api/v2/tenant/users/user-by-username', bearer, {
            user_name: 'ghost',
          })
        ).body.error_code,
      ).toBe('USER.0001');
      expect(
        (
          await sim.request('GET', '/api/v2/tenant/users/20990101000000000-0000-000000000', {
            headers: { Authorization: `Bearer ${bearer}` },
          })
        ).body.error_code,
      ).toBe('USER.0001');
    });

    it('should change a password, forcing a change at next login when pwd_must_modify', async () => {
      const id = '20210621095935877-CF76-6192A3B4C';
      const weak = await sim.tenantPost(
        `/api/v2/tenant/users/${id}/change-password`,
        bearer,
        { password: 'abc' },
        'PUT',
      );
      expect(weak.body.error_code).toBe('PARAM.0027');
      const res = await sim.tenantPost(
        `/api/v2/tenant/users/${id}/change-password`,
        bearer,
        { password: 'Admin2024x', pwd_must_modify: true },
        'PUT',
      );
      expect(res.body).toEqual({ user_id: id });
      expect((await sim.login('wujiu', 'Admin2024x')).body.status).toBe('PASSWORD_EXPIRED');

      const wrongOld = await sim.tenantPost(
        `/api/v2/tenant/users/${id}/change-password-verify`,
        bearer,
        { old_password: 'nope', password: 'Verify2024x' },
        'PUT',
      );
      expect(wrongOld.body.error_code).toBe('PARAM.0028');
      const verified = await sim.tenantPost(
        `/api/v2/tenant/users/${id}/change-password-verify`,
        bearer,
        { old_password: 'Admin2024x', password: 'Verify2024x' },
        'PUT',
      );
      expect(verified.body).toEqual({ user_id: id });
      expect((await sim.login('wujiu', 'Verify2024x')).body.status).toBe('SUCCESS');
    });
  });

  describe('SSO', () => {
    it('should exchange session_token → sso_ticket → nested user, the ticket only once', async () => {
      const sessionToken = await sim.sessionToken('zhangsan');
      const ticket = await sim.tenantPost('/api/v2/tenant/sso/session-token/sso-ticket', bearer, {
        session_token: sessionToken,
        ...device,
      });
      expect(ticket.body).toEqual({
        expire: 300,
        sso_ticket: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      });

      const verify = await sim.tenantPost('/api/v2/tenant/sso/sso-ticket/verify', bearer, {
        sso_ticket: ticket.body.sso_ticket,
        ...device,
      });
      expect(verify.body).toEqual({
        code: '200',
        message: 'success',
        data: {
          user: {
            userName: 'zhangsan',
            id: '20210621095935811-5E16-6B3060ABC',
            name: '张三',
            mobile: '13800000001',
            email: 'zhangsan@example.com',
          },
        },
      });
      const again = await sim.tenantPost('/api/v2/tenant/sso/sso-ticket/verify', bearer, {
        sso_ticket: ticket.body.sso_ticket,
        ...device,
      });
      expect(again.body).toEqual({
        error_code: 'PARAM.0016',
        error_msg: 'sso_ticket is invalid or expired.',
      });
    });

    it('should answer the flat user when ssoVerifyShape is flat', async () => {
      await sim.control('PATCH', '/config', { ssoVerifyShape: 'flat' });
      const sessionToken = await sim.sessionToken('zhangsan');
      const ticket = await sim.tenantPost('/api/v2/tenant/sso/session-token/sso-ticket', bearer, {
        session_token: sessionToken,
        ...device,
      });
      const verify = await sim.tenantPost('/api/v2/tenant/sso/sso-ticket/verify', bearer, {
        sso_ticket: ticket.body.sso_ticket,
        ...device,
      });
      expect(verify.body).toEqual({
        userName: 'zhangsan',
        id: '20210621095935811-5E16-6B3060ABC',
        name: '张三',
        mobile: '13800000001',
        email: 'zhangsan@example.com',
      });
      await sim.control('PATCH', '/config', { ssoVerifyShape: 'nested' });
    });

    it('should require the login fingerprint, the device fields and the Bearer token', async () => {
      const sessionToken = await sim.sessionToken('zhangsan');
      const mismatch = await sim.tenantPost('/api/v2/tenant/sso/session-token/sso-ticket', bearer, {
        session_token: sessionToken,
        ...device,
        device_fingerprint: 'another-device',
      });
      expect(mismatch.body).toEqual({
        error_code: 'PARAM.0001',
        error_msg: 'Device information does not match the login.',
      });
      const withoutIp: Partial<typeof device> = { ...device };
      delete withoutIp.device_ip;
      const incomplete = await sim.tenantPost(
        '/api/v2/tenant/sso/session-token/sso-ticket',
        bearer,
        { session_token: sessionToken, ...withoutIp },
      );
      expect(incomplete.body).toEqual({
        error_code: 'PARAM.0001',
        error_msg: 'Device information is incomplete.',
      });
      const noBearer = await sim.tenantPost(
        '/api/v2/tenant/sso/session-token/sso-ticket',
        'not-a-token',
        { session_token: sessionToken, ...device },
      );
      expect(noBearer.body.error_code).toBe('PARAM.0016');
      const unknown = await sim.tenantPost('/api/v2/tenant/sso/session-token/sso-ticket', bearer, {
        session_token: 'nope',
        ...device,
      });
      expect(unknown.body).toEqual({
        error_code: 'PARAM.0016',
        error_msg: 'session_token is invalid or expired.',
      });
      const otherApp = await sim.tenantPost('/api/v2/tenant/sso/session-token/sso-ticket', bearer, {
        session_token: sessionToken,
        ...device,
        client_id: 'unknown-app',
      });
      expect(otherApp.body.error_code).toBe('APP.0001');

      const ticket = await sim.tenantPost('/api/v2/tenant/sso/session-token/sso-ticket', bearer, {
        session_token: sessionToken,
        ...device,
      });
      const wrongDevice = await sim.tenantPost('/api/v2/tenant/sso/sso-ticket/verify', bearer, {
        sso_ticket: ticket.body.sso_ticket,
        ...device,
        device_fingerprint: 'x',
      });
      expect(wrongDevice.body.error_code).toBe('PARAM.0001');
      // A presented ticket is used up, even by a failed verify.
      expect(
        (
          await sim.tenantPost('/api/v2/tenant/sso/sso-ticket/verify', bearer, {
            sso_ticket: ticket.body.sso_ticket,
            ...device,
          })
        ).body.error_code,
      ).toBe('PARAM.0016');
    });

    it('should expire sso_tickets', async () => {
      await sim.control('PATCH', '/config', { lifetimes: { ssoTicket: 0.2 } });
      const sessionToken = await sim.sessionToken('zhangsan');
      const ticket = await sim.tenantPost('/api/v2/tenant/sso/session-token/sso-ticket', bearer, {
        session_token: sessionToken,
        ...device,
      });
      expect(ticket.body.expire).toBe(1);
      // Verifying uses a ticket up, so it cannot be probed: wait (bounded) until its lifetime has passed.
      const issuedAt = Date.now();
      await waitFor(() => Date.now() - issuedAt > 250, 2000, 50);
      const verify = await sim.tenantPost('/api/v2/tenant/sso/sso-ticket/verify', bearer, {
        sso_ticket: ticket.body.sso_ticket,
        ...device,
      });
      expect(verify.body.error_code).toBe('PARAM.0016');
      await sim.control('PATCH', '/config', { lifetimes: { ssoTicket: 300 } });
    });

    it('should refresh the session_token and revoke the old one', async () => {
      const sessionToken = await sim.sessionToken('zhangsan');
      const res = await sim.tenantPost('/api/v2/tenant/sso/session-token/refresh', bearer, {
        session_token: sessionToken,
        ...device,
      });
      expect(res.body).toEqual({
        session_token: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
        id_token: expect.any(String),
        expire: 604800,
      });
      expect(res.body.session_token).not.toBe(sessionToken);
      const old = await sim.tenantPost('/api/v2/tenant/sso/session-token/refresh', bearer, {
        session_token: sessionToken,
        ...device,
      });
      expect(old.body.error_code).toBe('PARAM.0016');
      const ticket = await sim.tenantPost('/api/v2/tenant/sso/session-token/sso-ticket', bearer, {
        session_token: res.body.session_token,
        ...device,
      });
      expect(ticket.status).toBe(200);
    });

    it('should keep the old session_token on refresh when revocation is off', async () => {
      await sim.control('PATCH', '/config', { revokeSessionTokenOnRefresh: false });
      const sessionToken = await sim.sessionToken('zhangsan');
      await sim.tenantPost('/api/v2/tenant/sso/session-token/refresh', bearer, {
        session_token: sessionToken,
        ...device,
      });
      const again = await sim.tenantPost('/api/v2/tenant/sso/session-token/refresh', bearer, {
        session_token: sessionToken,
        ...device,
      });
      expect(again.status).toBe(200);
      await sim.control('PATCH', '/config', { revokeSessionTokenOnRefresh: true });
    });
  });
});
