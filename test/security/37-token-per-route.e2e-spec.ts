import { issuedSecrets, oauthLogin, passwordLogin, useSecurityStack } from './helpers';

/**
 * docs/security.md 37: a token goes only to routes registered for it: an `id_token` route gets the
 * session's id_token, an `access_token` route the OAuth access token (and an SDK session, which
 * has none, gets 401 rather than some other token), a `none` route nothing.
 */
describe('37: each route gets only the credential it is registered for', () => {
  const suite = useSecurityStack();

  const lastAuthorization = () => suite.stack.upstream.seen.at(-1)!.headers.authorization;

  it('should attach the registered credential and nothing else', async () => {
    const sdk = await passwordLogin(suite.stack.url);
    const oidc = (await oauthLogin(suite.stack.url)).browser;
    const issued = await issuedSecrets(suite.stack.simulator);
    const valuesOf = (...kinds: string[]) =>
      issued.filter((t) => kinds.includes(t.kind)).map((t) => `Bearer ${t.value}`);

    expect((await sdk.get('/api/byid/x')).status).toBe(200);
    expect(valuesOf('id_token')).toContain(lastAuthorization());
    expect((await sdk.get('/api/open/x')).status).toBe(200);
    expect(lastAuthorization()).toBeUndefined();
    const seen = suite.stack.upstream.seen.length;
    const none = await sdk.get('/api/byaccess/x');
    expect(none.status).toBe(401);
    expect(suite.stack.upstream.seen.length).toBe(seen);

    expect((await oidc.get('/api/byaccess/x')).status).toBe(200);
    expect(valuesOf('oauth_access_token')).toContain(lastAuthorization());
    expect((await oidc.get('/api/byid/x')).status).toBe(200);
    expect(valuesOf('oauth_id_token')).toContain(lastAuthorization());
    expect((await oidc.get('/api/open/x')).status).toBe(200);
    expect(lastAuthorization()).toBeUndefined();
    // The refresh token and the session_token never travel.
    const never = valuesOf('oauth_refresh_token', 'session_token', 'tenant_access_token');
    for (const s of suite.stack.upstream.seen) expect(never).not.toContain(s.headers.authorization);
  });
});
