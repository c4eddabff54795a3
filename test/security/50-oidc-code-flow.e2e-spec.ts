import request from 'supertest';
import { simControl } from '../helpers/flows';
import { oauthLogin, ORIGIN, setCookieLines, TX_COOKIE, useSecurityStack } from './helpers';

/**
 * docs/security.md 50 (what OneAccess lets us do): the redirect login is the authorization-code flow of
 * a confidential client: no token in any URL the browser sees, the code exchanged server to
 * server with the client secret, and the id_token's `nonce` checked against the one this browser's
 * login sent, which stops a code from another login being injected into this one. PKCE S256 is sent
 * by default (23), and the id_token's signature, `iss`, `aud` and `exp` are verified as well
 * (test/oidc.e2e-spec.ts, src/modules/oneaccess/id-token.verifier.spec.ts). Not done, and why
 * (docs/security.md, row 50): mix-up defence (one IdP).
 */
describe('50: the OAuth login is a confidential code flow with a checked nonce', () => {
  const suite = useSecurityStack();

  it('should use the code flow and exchange the code server-side', async () => {
    await simControl(suite.stack.simulator, 'DELETE', 'journal');
    const run = await oauthLogin(suite.stack.url);
    expect(run.authorize.searchParams.get('response_type')).toBe('code');
    expect(run.authorize.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(run.authorize.href).not.toMatch(/client_secret|token=/);
    expect(run.callback.hash).toBe('');
    expect([...run.callback.searchParams.keys()].sort()).toEqual(['code', 'state']);
    expect(run.done.headers.location).toBe(`${ORIGIN}/home`);
    const journal = await simControl<{ method: string; path: string; status: number }[]>(
      suite.stack.simulator,
      'GET',
      'journal',
    );
    expect(journal).toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/api/v1/oauth2/token', status: 200 }),
    );
  });

  it('should refuse a code issued to another login (nonce mismatch)', async () => {
    // The victim starts a login; the attacker obtains a code from a login of their own.
    const victim = await request(suite.stack.url).get('/auth/oauth/login');
    const victimState = new URL(victim.headers.location).searchParams.get('state')!;
    const victimTx = setCookieLines(victim)
      .find((c) => c.startsWith(`${TX_COOKIE}=`))!
      .split(';')[0];
    const attacker = await request(suite.stack.url).get('/auth/oauth/login');
    const approved = await fetch(attacker.headers.location, { redirect: 'manual' });
    const attackerCode = new URL(approved.headers.get('location')!).searchParams.get('code')!;
    // The attacker's code under the victim's own state and transaction cookie.
    const injected = await request(suite.stack.url)
      .get(`/auth/oauth/callback?code=${encodeURIComponent(attackerCode)}&state=${victimState}`)
      .set('Cookie', victimTx);
    expect(injected.status).toBe(302);
    expect(injected.headers.location).toBe(`${ORIGIN}/?auth_error=login_refused`);
    expect(setCookieLines(injected).some((c) => c.startsWith('__Host-bff=s'))).toBe(false);
  });
});
