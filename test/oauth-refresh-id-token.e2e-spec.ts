import { decodeJwt } from 'jose';
import { RunningSimulator, startSimulator } from 'oneaccess-simulator';
import { BrowserClient } from './helpers/browser-client';
import { EchoUpstream } from './helpers/echo-upstream';
import { simControl } from './helpers/flows';
import {
  GatewayProcess,
  productionClientSecret,
  sharedProductionEnv,
  startGatewayProcess,
} from './helpers/gateway-process';
import { logLinesOf } from './helpers/process-output';
import { TestRedisServer } from './helpers/redis-server';
import { waitFor } from './helpers/wait-for';
import { oauthLogin } from './security/helpers';

/** The simulator's OAuth access tokens live this long here, so a refresh falls due within a test. */
const ACCESS_TOKEN_S = 3;

/**
 * The id_token a refresh grant returns (contract section 5, "Token refresh"; OIDC Core 12.2): it is
 * verified as the login's was and must name the login's subject, or the session ends; when its
 * keys cannot be fetched the new tokens are kept with the previous id_token. On the built gateway,
 * with the simulator over HTTP as OneAccess and a real Redis.
 */
describe('the id_token of an OAuth refresh', () => {
  let redis: TestRedisServer;
  let sim: RunningSimulator;
  let upstream: EchoUpstream;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    redis = await new TestRedisServer().start();
    sim = await startSimulator({
      port: 0,
      control: true,
      clientSecret: productionClientSecret(),
      oauthAuthorize: 'auto',
      lifetimes: { oauthAccessToken: ACCESS_TOKEN_S },
    });
    upstream = await new EchoUpstream().start();
    gateway = await startGatewayProcess({
      ...sharedProductionEnv({ redisUrl: redis.url, simulator: sim }),
      API_ROUTES: JSON.stringify({
        byaccess: { target: `${upstream.url}/a`, token: 'access_token' },
        byid: { target: `${upstream.url}/i`, token: 'id_token' },
      }),
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await upstream?.close();
    await sim?.close();
    await redis?.stop();
  });
  afterEach(async () => {
    await simControl(sim, 'PATCH', 'config', { oauthIdTokenFault: 'none' });
    await simControl(sim, 'POST', 'failure', { mode: 'none' });
  });

  /** An OAuth session whose access token has just fallen due (less than half its life left). */
  async function dueSession(): Promise<BrowserClient> {
    const { browser, done } = await oauthLogin(gateway.url);
    expect(done.headers.location).toBe('http://localhost:3000/home');
    const loggedInAt = Date.now();
    await waitFor(
      () => Date.now() > loggedInAt + (ACCESS_TOKEN_S * 1000) / 2 + 200,
      ACCESS_TOKEN_S * 1000,
      'the access token to fall due',
    );
    return browser;
  }

  /** The bearer the upstream received on the last call to `path`. */
  function bearerAt(path: string): string {
    const call = upstream.seen.filter((s) => s.url === path).pop();
    expect(call).toBeDefined();
    return String(call!.headers.authorization).replace(/^Bearer /, '');
  }

  const audits = (event: string) =>
    logLinesOf(gateway.output()).filter((line) => line.audit === event);

  it("should relay the refreshed id_token once it is verified as the login's, same subject", async () => {
    const b = await dueSession();
    expect((await b.get('/api/byid/before')).status).toBe(200);
    const before = bearerAt('/i/before');

    expect((await b.get('/api/byaccess/refresh')).status).toBe(200);
    expect((await b.get('/api/byid/after')).status).toBe(200);
    const after = bearerAt('/i/after');
    expect(after).not.toBe(before);
    expect(decodeJwt(after).sub).toBe(decodeJwt(before).sub);
    expect((await b.get('/auth/session')).body).toMatchObject({ authenticated: true });
  });

  it.each([
    ['foreign-sub', 'wrong_subject'],
    ['foreign-key', 'bad_signature'],
    ['foreign-aud', 'wrong_audience'],
  ])(
    'should end the session when the refresh returns an id_token with %s, relaying nothing',
    async (fault, reason) => {
      const b = await dueSession();
      await simControl(sim, 'PATCH', 'config', { oauthIdTokenFault: fault });
      const refused = await b.get(`/api/byaccess/${fault}`);
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('SESSION_EXPIRED');
      expect(upstream.seen.some((s) => s.url === `/a/${fault}`)).toBe(false);
      expect((await b.get('/auth/session')).body).toMatchObject({ authenticated: false });
      const line = await waitFor(
        () => audits('refresh_refused').find((l) => l.reason === reason),
        5000,
        `a refresh_refused line with reason ${reason}`,
      );
      expect(line).toMatchObject({ kind: 'access_token', upstream_code: 'invalid_id_token' });
      expect(JSON.stringify(line)).not.toMatch(/eyJ/); // no token in the line
    },
  );

  it('should keep the new tokens and the previous id_token while the keys cannot be fetched', async () => {
    const b = await dueSession();
    expect((await b.get('/api/byid/old')).status).toBe(200);
    const old = bearerAt('/i/old');
    // A new signing key the gateway has not seen, and its JWKS unreachable: the refreshed
    // id_token cannot be checked now. The refresh token OneAccess rotated must not be lost.
    await simControl(sim, 'POST', 'oauth/rotate-key');
    await simControl(sim, 'POST', 'failure', { mode: 'down', paths: ['/api/v1/oauth2/jwks'] });
    expect((await b.get('/api/byaccess/keys-down')).status).toBe(200);
    expect((await b.get('/api/byid/keys-down')).status).toBe(200);
    expect(bearerAt('/i/keys-down')).toBe(old);

    // Keys back: the next refresh (with the rotated refresh token) verifies and relays the new one.
    await simControl(sim, 'POST', 'failure', { mode: 'none' });
    const keptAt = Date.now();
    await waitFor(
      () => Date.now() > keptAt + (ACCESS_TOKEN_S * 1000) / 2 + 200,
      ACCESS_TOKEN_S * 1000,
      'the new access token to fall due',
    );
    expect((await b.get('/api/byaccess/keys-back')).status).toBe(200);
    expect((await b.get('/api/byid/keys-back')).status).toBe(200);
    const fresh = bearerAt('/i/keys-back');
    expect(fresh).not.toBe(old);
    expect(decodeJwt(fresh).sub).toBe(decodeJwt(old).sub);
  });
});
