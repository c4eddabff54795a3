import { oauthLogin, ORIGIN, passwordLogin, useSecurityStack } from './helpers';

/**
 * docs/security.md 38: `return_to` of the OAuth login accepts only same-origin relative paths;
 * everything else lands on `/`. There is no user-supplied post-logout target: logout's
 * `logout_url` comes from configuration (LOGOUT_REDIRECT_URL) only.
 */
describe('38: post-login and post-logout targets stay on our origin', () => {
  const suite = useSecurityStack({ env: { LOGOUT_REDIRECT_URL: `${ORIGIN}/signed-out` } });

  it.each([
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/%2F%2Fevil.example',
    '%2F%2Fevil.example',
    '/%5Cevil.example',
    'https://evil.example',
    'http:evil.example',
    'javascript:alert(1)',
    '/\t/evil.example',
    'evil.example',
    '',
  ])('should land on / for return_to %j', async (returnTo) => {
    const run = await oauthLogin(suite.stack.url, returnTo);
    expect(run.done.headers.location).toBe(`${ORIGIN}/`);
  });

  it('should keep a same-origin path with its query', async () => {
    const run = await oauthLogin(suite.stack.url, '/orders/7?tab=open');
    expect(run.done.headers.location).toBe(`${ORIGIN}/orders/7?tab=open`);
  });

  it('should take no post-logout target from the request', async () => {
    const b = await passwordLogin(suite.stack.url);
    const res = await b.send(
      'POST',
      '/auth/logout?return_to=https://evil.example&redirect_url=https://evil.example',
    );
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('evil');
    expect(new URL(res.body.logout_url).searchParams.get('redirect_url')).toBe(
      `${ORIGIN}/signed-out`,
    );
  });
});
