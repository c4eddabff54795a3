import request from 'supertest';
import { BrowserClient } from '../helpers/browser-client';
import { oauthLogin, PASSWORD, USERS, useSecurityStack } from './helpers';

const PUBLIC = 'https://portal.example.com';

/**
 * docs/security.md 40: the public origin and base path are configured (PUBLIC_ORIGIN, BASE_PATH), not
 * guessed from the request: they make the OAuth redirect_uri, the post-login landing URL and the
 * Origin check, whatever Host the request arrived with.
 */
describe('40: PUBLIC_ORIGIN and BASE_PATH make every redirect and the Origin check', () => {
  const suite = useSecurityStack({ env: { PUBLIC_ORIGIN: PUBLIC, BASE_PATH: '/portal' } });

  it('should build the callback and landing URLs from the configuration', async () => {
    const run = await oauthLogin(
      suite.stack.url,
      '/portal/orders',
      { Host: 'evil.example' },
      '__Secure-bff',
    );
    expect(run.authorize.searchParams.get('redirect_uri')).toBe(
      `${PUBLIC}/portal/auth/oauth/callback`,
    );
    expect(run.done.headers.location).toBe(`${PUBLIC}/portal/orders`);
    const failed = await request(suite.stack.url)
      .get('/portal/auth/oauth/callback?code=x&state=y')
      .set('Host', 'evil.example');
    expect(failed.headers.location).toBe(`${PUBLIC}/portal/?auth_error=invalid_state`);
  });

  it('should accept only PUBLIC_ORIGIN as Origin, not the Host the request came to', async () => {
    const login = (origin: string, host?: string) => {
      const b = new BrowserClient(suite.stack.url, [], origin);
      if (host) b.headers.Host = host;
      return b.post('/portal/auth/login/password', {
        user_name: USERS.plain.user_name,
        password: PASSWORD,
      });
    };
    expect((await login(PUBLIC)).body.status).toBe('SUCCESS');
    expect((await login('http://portal.example.com')).status).toBe(403);
    expect((await login(suite.stack.url)).status).toBe(403);
    expect((await login('https://evil.example', 'evil.example')).status).toBe(403);
  });
});
