import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { TestRedisServer } from '../../../test/helpers/redis-server';
import { FakeOneAccess, jwt } from '../../../test/helpers/fake-oneaccess-refresh';
import { waitFor } from '../../../test/helpers/wait-for';
import { AuditLog } from '../../common/audit/audit-log';
import { SessionCipher } from '../../common/crypto/session-cipher';
import { AppError, UpstreamError } from '../../common/errors/app-error';
import { Credential, StoredCredential } from '../../common/session/credential';
import { RedisCredentialStore } from '../../common/session/redis-credential.store';
import type { SessionTokens } from '../../common/session/session.types';
import type { OneAccessConfig } from '../../config/oneaccess.config';
import { loadSessionConfig } from '../../config/session.config';
import { Metrics } from '../metrics/metrics';
import type { DeviceRequestFacts } from '../oneaccess/device-context';
import type { IdTokenVerifier } from '../oneaccess/id-token.verifier';
import { CredentialService } from './credential.service';
import { SessionEvents } from './session-events';
import { TokenRefresher } from './token-refresher';

// The refresher against a real Redis: two refreshers with their own store objects stand for two
// gateway instances sharing one Redis. OneAccess is a hand-written fake of our client classes
// whose answers the test releases when it wants, so the lock, the poll and the merge can be
// watched while a refresh is in flight.

const PREFIX = 'spec:refresher:';
/** Small, so the waiters' deadline (4 x timeout + 1.5 s) stays short. */
const ONEACCESS_TIMEOUT_MS = 100;
const FACTS: DeviceRequestFacts = { ip: '203.0.113.7', userAgent: 'spec', acceptLanguage: 'en' };

let server: TestRedisServer;
let redis: Redis;
let oneAccess: FakeOneAccess;
let audit: { event: string; fields: Record<string, unknown> }[];
const cipher = new SessionCipher([randomBytes(32)]);
const sessionCfg = loadSessionConfig({ TOKEN_REFRESH_MARGIN_S: '60' });

/** One gateway instance: its own store object and refresher over the shared Redis. */
function instance(): { credentials: CredentialService; refresher: TokenRefresher } {
  const auditLog = {
    record: (event: string, fields: Record<string, unknown> = {}) =>
      void audit.push({ event, fields }),
  } as unknown as AuditLog;
  const credentials = new CredentialService(
    new RedisCredentialStore(redis, cipher, PREFIX),
    sessionCfg,
    auditLog,
    new SessionEvents(),
  );
  const refresher = new TokenRefresher(
    credentials,
    oneAccess.sdk,
    oneAccess.sso,
    oneAccess.oauth,
    // No id_token here is a JWT with a subject, so none is verified (test/oauth-refresh covers that).
    {
      verifyRefreshed: () => Promise.reject(new Error('no id_token is verified here')),
    } as unknown as IdTokenVerifier,
    auditLog,
    new Metrics(),
    sessionCfg,
    { timeoutMs: ONEACCESS_TIMEOUT_MS } as OneAccessConfig,
  );
  return { credentials, refresher };
}

/** A signed-in SDK session whose id_token expires within the refresh margin. */
function credential(tokens: Partial<SessionTokens> = {}): Credential {
  const now = Date.now();
  return {
    user: { id: 'u-1', user_name: 'zhangsan', name: 'Zhang San', mobile: '', email: '' },
    login_method: 'password',
    fingerprint: 'fp_spec',
    created_at: now,
    last_seen_at: now,
    ip: '203.0.113.7',
    user_agent: 'spec',
    tokens: {
      session_token: 'sess-1',
      session_token_expires_at: now + 3_600_000,
      session_token_issued_at: now,
      id_token: 'old-id',
      id_token_expires_at: now + 30_000,
      id_token_issued_at: now - 570_000,
      ...tokens,
    },
  };
}

let n = 0;
async function signedIn(
  credentials: CredentialService,
  c: Credential = credential(),
): Promise<{ sid: string; stored: StoredCredential }> {
  const sid = `sid-${++n}-${randomBytes(4).toString('hex')}`;
  await credentials.create(sid, c);
  return { sid, stored: (await credentials.get(sid))! };
}

beforeAll(async () => {
  server = await new TestRedisServer().start();
  redis = server.client();
});
afterAll(async () => {
  await redis.quit();
  await server.stop();
});
beforeEach(() => {
  oneAccess = new FakeOneAccess();
  audit = [];
});

describe('TokenRefresher', () => {
  it('should return a fresh credential as it is, without calling OneAccess', async () => {
    const { credentials, refresher } = instance();
    const { sid, stored } = await signedIn(
      credentials,
      credential({ id_token_expires_at: undefined }),
    );

    await expect(refresher.ensureFresh(sid, stored, 'id_token', FACTS)).resolves.toBe(stored);
    expect(oneAccess.calls).toEqual([]);
  });

  it('should refresh once for concurrent callers on two instances and give both the new token', async () => {
    const a = instance();
    const b = instance();
    const { sid, stored } = await signedIn(a.credentials);

    const fromA = a.refresher.ensureFresh(sid, stored, 'id_token', FACTS);
    const fromA2 = a.refresher.ensureFresh(sid, stored, 'id_token', FACTS);
    await waitFor(() => oneAccess.calls.length === 1, 10_000, 'the first refresh');
    // B arrives while A holds the lock: it must wait for A's result, not call OneAccess itself.
    const fromB = b.refresher.ensureFresh(sid, stored, 'id_token', FACTS);
    let bSettled = false;
    void fromB.finally(() => (bSettled = true));
    await expect(b.credentials.lock(sid, 1000)).resolves.toBeNull();
    expect(bSettled).toBe(false);

    const fresh = jwt(600, 'new');
    await oneAccess.answer(fresh);
    const results = await Promise.all([fromA, fromA2, fromB]);

    expect(oneAccess.calls).toEqual([{ kind: 'id_token', token: 'sess-1' }]);
    for (const r of results) expect(r.credential.tokens.id_token).toBe(fresh);
    expect(results[0].version).toBe(stored.version + 1);
    expect((await a.credentials.get(sid))!.credential.tokens.id_token).toBe(fresh);
    // The lock is released: the next refresher could take it at once.
    const release = await b.credentials.lock(sid, 1000);
    expect(release).not.toBeNull();
    await release!();
    expect(audit.map((l) => l.event)).toEqual(['token_refreshed']);
  });

  it('should take over the refresh when the other holder vanished and its lock lapsed', async () => {
    const { credentials, refresher } = instance();
    const { sid, stored } = await signedIn(credentials);
    // A holder that took the lock and died: nothing releases it, it only expires.
    expect(await credentials.lock(sid, 400)).not.toBeNull();

    const result = refresher.ensureFresh(sid, stored, 'id_token', FACTS);
    const fresh = jwt(600, 'after-lapse');
    await oneAccess.answer(fresh);

    await expect(result).resolves.toMatchObject({ credential: { tokens: { id_token: fresh } } });
    expect(oneAccess.calls).toHaveLength(1);
  });

  it('should give up waiting with UPSTREAM_TIMEOUT and keep the session when the holder never writes', async () => {
    const { credentials, refresher } = instance();
    const { sid, stored } = await signedIn(credentials);
    // Held well past the waiters' deadline (4 x 100 ms + 1.5 s).
    expect(await credentials.lock(sid, 30_000)).not.toBeNull();

    const started = Date.now();
    const err = await refresher
      .ensureFresh(sid, stored, 'id_token', FACTS)
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    expect(oneAccess.calls).toEqual([]);
    expect(await credentials.get(sid)).toEqual(stored);
  });

  it('should merge the new tokens onto activity written during the refresh', async () => {
    const { credentials, refresher } = instance();
    const { sid, stored } = await signedIn(credentials);

    const result = refresher.ensureFresh(sid, stored, 'id_token', FACTS);
    await waitFor(() => oneAccess.calls.length === 1, 10_000, 'the refresh');
    // Another request records activity meanwhile (twice), moving the version on.
    const later = stored.credential.last_seen_at + 120_000;
    expect(
      await credentials.replace(sid, stored.version, { ...stored.credential, last_seen_at: later }),
    ).toBe(true);
    const touched = (await credentials.get(sid))!;
    expect(
      await credentials.replace(sid, touched.version, {
        ...touched.credential,
        ip: '198.51.100.1',
      }),
    ).toBe(true);
    const fresh = jwt(600, 'merged');
    await oneAccess.answer(fresh);

    const merged = await result;
    expect(merged.version).toBe(stored.version + 3);
    expect(merged.credential).toMatchObject({
      last_seen_at: later,
      ip: '198.51.100.1',
      tokens: { id_token: fresh, session_token: 'sess-1' },
    });
    expect(await credentials.get(sid)).toEqual(merged);
  });

  it('should not bring back a session that was logged out during the refresh', async () => {
    const { credentials, refresher } = instance();
    const { sid, stored } = await signedIn(credentials);

    const result = refresher.ensureFresh(sid, stored, 'id_token', FACTS);
    await waitFor(() => oneAccess.calls.length === 1, 10_000, 'the refresh');
    await credentials.end(sid, 'logout');
    await oneAccess.answer(jwt(600, 'too-late'));

    await expect(result).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(await credentials.get(sid)).toBeNull();
  });

  it('should end the session with SESSION_EXPIRED when OneAccess refuses the refresh', async () => {
    const { credentials, refresher } = instance();
    const { sid, stored } = await signedIn(credentials);

    const result = refresher.ensureFresh(sid, stored, 'id_token', FACTS);
    await oneAccess.refuse(
      Object.assign(new UpstreamError('UPSTREAM_REJECTED', 'oneaccess', 'no'), {
        upstreamCode: 'SESSION.0001',
      }),
    );

    const err = await result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(await credentials.get(sid)).toBeNull();
    expect(audit).toEqual([
      { event: 'refresh_refused', fields: { kind: 'id_token', upstream_code: 'SESSION.0001' } },
    ]);
  });

  it('should keep the session and use the current token on a transient failure while it is valid', async () => {
    const { credentials, refresher } = instance();
    const { sid, stored } = await signedIn(credentials);

    const result = refresher.ensureFresh(sid, stored, 'id_token', FACTS);
    await oneAccess.refuse(new UpstreamError('UPSTREAM_UNAVAILABLE', 'oneaccess'));

    await expect(result).resolves.toEqual(stored);
    expect(await credentials.get(sid)).toEqual(stored);
    expect(audit.map((l) => l.event)).toEqual(['refresh_failed']);
  });

  it('should answer the transient error but keep the session when the token has run out', async () => {
    const { credentials, refresher } = instance();
    const { sid, stored } = await signedIn(
      credentials,
      credential({ id_token_expires_at: Date.now() - 1000 }),
    );

    const result = refresher.ensureFresh(sid, stored, 'id_token', FACTS);
    await oneAccess.refuse(new UpstreamError('UPSTREAM_TIMEOUT', 'oneaccess'));

    await expect(result).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(await credentials.get(sid)).toEqual(stored);
  });

  it('should keep the refresh token when OneAccess does not rotate it on an access_token refresh', async () => {
    const { credentials, refresher } = instance();
    const now = Date.now();
    const { sid, stored } = await signedIn(
      credentials,
      credential({
        session_token: undefined,
        session_token_expires_at: undefined,
        access_token: 'old-at',
        access_token_expires_at: now + 10_000,
        access_token_issued_at: now - 590_000,
        refresh_token: 'rt-1',
      }),
    );

    const result = refresher.ensureFresh(sid, stored, 'access_token', FACTS);
    await oneAccess.answer({ access_token: 'new-at', expires_in: 600 });

    const { credential: c } = await result;
    expect(oneAccess.calls).toEqual([{ kind: 'access_token', token: 'rt-1' }]);
    expect(c.tokens).toMatchObject({ access_token: 'new-at', refresh_token: 'rt-1' });
    expect(c.tokens.access_token_expires_at).toBeGreaterThan(now + 500_000);
  });
});
