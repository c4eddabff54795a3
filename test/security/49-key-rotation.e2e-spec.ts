import { unsign } from 'cookie-signature';
import { createHash, randomBytes } from 'node:crypto';
import { BrowserClient } from '../helpers/browser-client';
import { createTestApp, TestApp } from '../helpers/create-test-app';
import { simControl } from '../helpers/flows';
import { waitFor } from '../helpers/wait-for';
import {
  COOKIE,
  oauthLogin,
  passwordLogin,
  rawSessionId,
  sameBrowserOn,
  useSecurityStack,
  USERS,
} from './helpers';

const key = () => randomBytes(32).toString('base64');
/** The key id the cipher writes into each ciphertext (`g1.<kid>.…`). */
const kid = (k: string) =>
  createHash('sha256').update(Buffer.from(k, 'base64')).digest('hex').slice(0, 8);

/**
 * docs/security.md 49: the encryption keys of tokens at rest and the cookie-signing secrets rotate
 * without downtime (the key id is in every ciphertext). Instance A runs with K1 and S1; B, on the
 * same Redis, with `K2,K1` and `S2,S1`; C with K2 and S2 only.
 */
describe('49: encryption keys and cookie secrets rotate without logging anyone out', () => {
  const K1 = key();
  const K2 = key();
  const S1 = `s1-${randomBytes(24).toString('hex')}`;
  const S2 = `s2-${randomBytes(24).toString('hex')}`;
  const apps: TestApp[] = [];
  // Declared ahead of the stack's hooks: after* hooks run in declaration order, and the other
  // instances must close before the Redis and OneAccess they share.
  afterAll(async () => {
    for (const app of apps) await app.close();
  });
  const suite = useSecurityStack({ env: { SESSION_ENCRYPTION_KEYS: K1, SESSION_SECRETS: S1 } });

  const instance = async (keys: string, secrets: string): Promise<TestApp> => {
    const app = await createTestApp({
      ...suite.stack.env,
      SESSION_ENCRYPTION_KEYS: keys,
      SESSION_SECRETS: secrets,
    });
    apps.push(app);
    return app;
  };
  /** The key id of the credential record (`<version>|<2><4-byte kid>…`) of a browser's session. */
  const credKid = async (b: BrowserClient) => {
    const value = await suite.redis.getBuffer(
      `${suite.stack.keyPrefix}cred:${rawSessionId(b.cookies.get(COOKIE)!)}`,
    );
    return value?.subarray(value.indexOf('|') + 1).toString('hex', 1, 5);
  };
  const sessKid = async (b: BrowserClient) =>
    (
      await suite.redis.get(`${suite.stack.keyPrefix}sess:${rawSessionId(b.cookies.get(COOKIE)!)}`)
    )?.split('.')[1];

  it('should keep K1 sessions working under K2,K1, write with K2, and end K1-only records quietly under K2 alone', async () => {
    // Sessions made under K1: an SDK login, an OAuth login, and one whose id_token is due soon.
    const sdk = await passwordLogin(suite.stack.url);
    const oidc = (await oauthLogin(suite.stack.url)).browser;
    await simControl(suite.stack.simulator, 'PATCH', 'config', { lifetimes: { idToken: 2 } });
    const refreshing = await passwordLogin(suite.stack.url, USERS.other.user_name);
    const dueAt = Date.now() + 1100;
    await simControl(suite.stack.simulator, 'PATCH', 'config', { lifetimes: { idToken: 7200 } });
    for (const b of [sdk, oidc, refreshing]) {
      expect(await credKid(b)).toBe(kid(K1));
      expect(await sessKid(b)).toBe(kid(K1));
    }

    // B: K2 writes, K1 still reads; S2 signs, S1 still verifies.
    const b = await instance(`${K2},${K1}`, `${S2},${S1}`);
    const sdkOnB = sameBrowserOn(b.url, sdk);
    expect((await sdkOnB.get('/auth/session')).body).toMatchObject({
      status: 'SUCCESS',
      user: { user_name: USERS.plain.user_name },
    });
    expect((await sdkOnB.get('/auth/profile')).body.user_name).toBe(USERS.plain.user_name);
    const relayed = await sdkOnB.get('/api/byid/x');
    expect(relayed.status).toBe(200);
    expect(relayed.body.authorization).toMatch(/^Bearer eyJ/);
    expect((await sameBrowserOn(b.url, oidc).get('/api/byaccess/x')).status).toBe(200);

    // A write through B (the id_token refresh) re-encrypts that record with K2.
    await waitFor(() => Date.now() > dueAt, 3000, 'the id_token to fall due');
    const refreshingOnB = sameBrowserOn(b.url, refreshing);
    expect((await refreshingOnB.get('/api/byid/x')).status).toBe(200);
    expect(await credKid(refreshing)).toBe(kid(K2));
    // A new login through B: K2 for both records, and the cookie signed with S2.
    const fresh = await passwordLogin(b.url, USERS.spare.user_name);
    expect(await credKid(fresh)).toBe(kid(K2));
    expect(await sessKid(fresh)).toBe(kid(K2));
    expect(unsign(decodeURIComponent(fresh.cookies.get(COOKIE)!).slice(2), S2)).not.toBe(false);
    // Untouched records stay as they were until their next write.
    expect(await credKid(sdk)).toBe(kid(K1));

    // C: K2 and S2 only, as after the old key and secret are retired.
    const c = await instance(K2, S2);
    const freshOnC = sameBrowserOn(c.url, fresh);
    expect((await freshOnC.get('/auth/session')).body.status).toBe('SUCCESS');
    expect((await freshOnC.get('/api/byid/x')).status).toBe(200);
    expect((await freshOnC.get('/auth/profile')).status).toBe(200);
    // A record only K1 can read (and a cookie only S1 signed) is no session: anonymous, never 500.
    const sdkOnC = sameBrowserOn(c.url, sdk);
    const view = await sdkOnC.get('/auth/session');
    expect(view.status).toBe(200);
    expect(view.body.status).toBe('ANONYMOUS');
    expect((await sdkOnC.get('/auth/profile')).body.code).toBe('UNAUTHENTICATED');
    expect((await sdkOnC.get('/api/byid/x')).body.code).toBe('UNAUTHENTICATED');
    // Same for a K1 credential under a cookie C can verify: only the key is missing.
    const signedForC = new BrowserClient(c.url);
    signedForC.cookies.set(COOKIE, fresh.cookies.get(COOKIE)!);
    await suite.redis.set(
      `${suite.stack.keyPrefix}cred:${rawSessionId(fresh.cookies.get(COOKIE)!)}`,
      (await suite.redis.getBuffer(
        `${suite.stack.keyPrefix}cred:${rawSessionId(sdk.cookies.get(COOKIE)!)}`,
      ))!,
    );
    const k1Cred = await signedForC.get('/api/byid/x');
    expect(k1Cred.status).toBe(401);
    expect(k1Cred.body.code).toBe('UNAUTHENTICATED');
  });
});
