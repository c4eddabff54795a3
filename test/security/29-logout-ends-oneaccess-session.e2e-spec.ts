import type { RunningSimulator } from 'oneaccess-simulator';
import { BrowserClient } from '../helpers/browser-client';
import { simControl } from '../helpers/flows';
import { issuedSecrets, PASSWORD, USERS, useSecurityStack } from './helpers';

const FINGERPRINT = 'security-29-device';

/** Asks OneAccess (the simulator) directly whether a session_token still works: SSO ticket issue. */
async function sessionTokenWorks(sim: RunningSimulator, sessionToken: string): Promise<boolean> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: sim.clientId,
    client_secret: sim.clientSecret,
  });
  const tenant = (await (
    await fetch(`${sim.url}/api/v2/tenant/token`, { method: 'POST', body: form })
  ).json()) as { access_token: string };
  const res = await fetch(`${sim.url}/api/v2/tenant/sso/session-token/sso-ticket`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tenant.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      session_token: sessionToken,
      operating_sys_version: 'Linux',
      device_ip: '127.0.0.1',
      device_fingerprint: FINGERPRINT,
    }),
  });
  return res.status === 200;
}

/**
 * docs/security.md 29: logout ends the OneAccess session too: the SDK session_token is revoked with
 * OneAccess's logout API, which a direct call to OneAccess afterwards proves; the same happens
 * when an admin ends a session. OneAccess documents no revocation endpoint for OAuth refresh
 * tokens (docs/oneaccess.md 8.2), so for OAuth logins the gateway can only forget them
 * (docs/security.md, row 29).
 */
describe('29: logout ends the OneAccess session', () => {
  const suite = useSecurityStack();

  async function login(): Promise<{ b: BrowserClient; token: string }> {
    const b = new BrowserClient(suite.stack.url);
    b.headers['X-Device-Fingerprint'] = FINGERPRINT;
    const res = await b.post('/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: PASSWORD,
    });
    expect(res.body.status).toBe('SUCCESS');
    const tokens = (await issuedSecrets(suite.stack.simulator)).filter(
      (t) => t.kind === 'session_token',
    );
    const token = tokens.at(-1)!.value;
    expect(await sessionTokenWorks(suite.stack.simulator, token)).toBe(true);
    return { b, token };
  }

  it('should revoke the session_token at logout', async () => {
    const { b, token } = await login();
    await simControl(suite.stack.simulator, 'DELETE', 'journal');
    expect((await b.post('/auth/logout')).status).toBe(200);
    const journal = await simControl<{ path: string; status: number }[]>(
      suite.stack.simulator,
      'GET',
      'journal',
    );
    expect(journal).toContainEqual(
      expect.objectContaining({ path: '/api/v2/sdk/logout', status: 200 }),
    );
    expect(await sessionTokenWorks(suite.stack.simulator, token)).toBe(false);
  });

  it('should revoke the session_token when an admin ends the session', async () => {
    const { token } = await login();
    const res = await fetch(`${suite.stack.url}/admin/users/${USERS.plain.id}/sessions`, {
      method: 'DELETE',
      headers: suite.stack.admin(),
    });
    expect(res.status).toBe(204);
    expect(await sessionTokenWorks(suite.stack.simulator, token)).toBe(false);
  });
});
