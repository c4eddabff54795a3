import { createHash } from 'node:crypto';
import { jwtPayload, startTestSimulator, type SimClient } from './helpers/sim-test-kit';

const REDIRECT = 'https://app.example.com/callback';
/** The seed's zhangsan, whom `oauthAuthorize: 'auto'` approves. */
const ZHANGSAN_ID = '20210621095935811-5E16-6B3060ABC';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

/** PKCE, client authentication, key rotation, bad id_tokens and the userinfo shape switches. */
describe('OAuth switches for verifier and hardening tests', () => {
  let sim: SimClient;

  beforeAll(async () => {
    sim = await startTestSimulator({ oauthAuthorize: 'auto' });
  });
  afterAll(() => sim.close());
  afterEach(async () => {
    await sim.control('POST', '/reset');
  });

  const setConfig = async (body: Record<string, unknown>) =>
    expect((await sim.control('PATCH', '/config', body)).status).toBe(200);

  /** Authorize (auto-approved); answers the redirect back to the client. */
  async function authorize(extra: Record<string, string> = {}): Promise<URL> {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: sim.sim.clientId,
      redirect_uri: REDIRECT,
      scope: 'openid',
      state: 'st',
      nonce: 'n-1',
      ...extra,
    });
    const res = await sim.request('GET', `/api/v1/oauth2/authorize?${query.toString()}`);
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!);
  }

  const exchange = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    sim.postForm(
      '/api/v1/oauth2/token',
      { grant_type: 'authorization_code', redirect_uri: REDIRECT, ...form },
      headers,
    );
  const post = { client_id: '', client_secret: '' };
  beforeAll(() => {
    post.client_id = sim.sim.clientId;
    post.client_secret = sim.sim.clientSecret;
  });

  it('should verify the PKCE verifier when a challenge was sent', async () => {
    const pkce = { code_challenge: CHALLENGE, code_challenge_method: 'S256' };
    const wrong = await exchange({
      ...post,
      code: (await authorize(pkce)).searchParams.get('code')!,
      code_verifier: 'x'.repeat(43),
    });
    expect(wrong.body).toMatchObject({ error: 'invalid_grant' });
    const missing = await exchange({
      ...post,
      code: (await authorize(pkce)).searchParams.get('code')!,
    });
    expect(missing.body).toMatchObject({ error: 'invalid_grant' });
    const right = await exchange({
      ...post,
      code: (await authorize(pkce)).searchParams.get('code')!,
      code_verifier: VERIFIER,
    });
    expect(right.status).toBe(200);
  });

  it('should require PKCE in required mode and refuse it in off mode', async () => {
    await setConfig({ oauthPkce: 'required' });
    expect((await authorize()).searchParams.get('error')).toBe('invalid_request');
    expect((await authorize({ code_challenge: CHALLENGE })).searchParams.get('error')).toBe(
      'invalid_request',
    );
    await setConfig({ oauthPkce: 'off' });
    const refused = await authorize({ code_challenge: CHALLENGE, code_challenge_method: 'S256' });
    expect(refused.searchParams.get('error')).toBe('invalid_request');
    expect((await authorize()).searchParams.get('code')).toBeTruthy();
  });

  it('should accept only the configured client authentication', async () => {
    const basic = {
      Authorization: `Basic ${Buffer.from(`${sim.sim.clientId}:${sim.sim.clientSecret}`).toString('base64')}`,
    };
    await setConfig({ oauthClientAuth: 'basic' });
    const viaPost = await exchange({
      ...post,
      code: (await authorize()).searchParams.get('code')!,
    });
    expect(viaPost.status).toBe(401);
    expect(viaPost.body).toMatchObject({ error: 'invalid_client' });
    const viaBasic = await exchange({ code: (await authorize()).searchParams.get('code')! }, basic);
    expect(viaBasic.status).toBe(200);
    await setConfig({ oauthClientAuth: 'post' });
    const basicRefused = await exchange(
      { code: (await authorize()).searchParams.get('code')! },
      basic,
    );
    expect(basicRefused.status).toBe(401);
  });

  it('should serve only the new key after a rotation and sign with it', async () => {
    const before = (await sim.request('GET', '/api/v1/oauth2/jwks')).body.keys[0].kid;
    const rotated = await sim.control('POST', '/oauth/rotate-key');
    expect(rotated.body.kid).not.toBe(before);
    const jwks = await sim.request('GET', '/api/v1/oauth2/jwks');
    const kids = (jwks.body as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    expect(kids).toEqual([rotated.body.kid]);
    const tokens = await exchange({ ...post, code: (await authorize()).searchParams.get('code')! });
    const idToken = (tokens.body as { id_token: string }).id_token;
    const header = JSON.parse(Buffer.from(idToken.split('.')[0], 'base64url').toString()) as {
      kid: string;
    };
    expect(header.kid).toBe(rotated.body.kid);
  });

  it.each([
    ['foreign-aud', (p: Record<string, unknown>) => expect(p.aud).not.toBe(sim.sim.clientId)],
    ['foreign-iss', (p: Record<string, unknown>) => expect(p.iss).not.toBe(sim.sim.url)],
    ['foreign-sub', (p: Record<string, unknown>) => expect(p.sub).not.toBe(ZHANGSAN_ID)],
    ['expired', (p: Record<string, unknown>) => expect(p.exp).toBeLessThan(Date.now() / 1000)],
    ['wrong-nonce', (p: Record<string, unknown>) => expect(p.nonce).not.toBe('n-1')],
  ])('should issue an OIDC id_token with the %s fault on demand', async (fault, check) => {
    await setConfig({ oauthIdTokenFault: fault });
    const tokens = await exchange({ ...post, code: (await authorize()).searchParams.get('code')! });
    check(jwtPayload(tokens.body.id_token));
  });

  it('should answer userinfo with or without sub', async () => {
    const userinfo = async (): Promise<Record<string, unknown>> => {
      const tokens = await exchange({
        ...post,
        code: (await authorize()).searchParams.get('code')!,
      });
      const res = await sim.request('GET', '/api/v1/oauth2/userinfo', {
        headers: { Authorization: `Bearer ${tokens.body.access_token}` },
      });
      return res.body as Record<string, unknown>;
    };
    const documented = await userinfo();
    expect(Object.keys(documented).sort()).toEqual(['email', 'id', 'mobile', 'name', 'userName']);
    await setConfig({ oauthUserinfoSub: true });
    const withSub = await userinfo();
    expect(withSub.sub).toBe(withSub.id);
  });

  it('should end the SSO session on CAS logout and redirect to service', async () => {
    const res = await sim.request(
      'GET',
      `/api/v1/cas/logout?service=${encodeURIComponent('https://app.example.com/bye')}`,
    );
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://app.example.com/bye');
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });
});
