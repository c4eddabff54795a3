import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { SessionCipher } from '../src/common/crypto/session-cipher';
import type { Credential, CredentialStore } from '../src/common/session/credential';
import { MemoryCredentialStore } from '../src/common/session/memory-credential.store';
import { RedisCredentialStore } from '../src/common/session/redis-credential.store';
import { credentialOf } from './helpers/credential-fixture';
import { TestRedisServer } from './helpers/redis-server';
import { waitFor } from './helpers/wait-for';

const credential = (lastSeen: number, token: string): Credential =>
  credentialOf({ last_seen_at: lastSeen, tokens: { session_token: token } });

/** Two instances of one store: for Redis two gateways on one server, in memory the same one. */
interface Instances {
  a: CredentialStore;
  b: CredentialStore;
}

const server = new TestRedisServer();
const clients: Redis[] = [];
const cipher = new SessionCipher([randomBytes(32)]);
const redisStore = () => {
  const c = new Redis(server.url);
  clients.push(c);
  return new RedisCredentialStore(c, cipher, 'bff:test:');
};

beforeAll(() => server.start());
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
  await server.stop();
});

/**
 * The CredentialStore contract (written on the interface in src/common/session/credential.ts),
 * run against both stores: the Redis one on a real redis-server, as two instances sharing it.
 */
describe.each<[string, () => Instances]>([
  ['redis', () => ({ a: redisStore(), b: redisStore() })],
  [
    'memory',
    () => {
      const one = new MemoryCredentialStore();
      return { a: one, b: one };
    },
  ],
])('credential store contract: %s', (_name, make) => {
  let a: CredentialStore;
  let b: CredentialStore;
  let n = 0;
  let sid: string;
  beforeEach(() => {
    ({ a, b } = make());
    sid = `sid-${++n}-${randomBytes(4).toString('hex')}`;
  });

  it('should read what was written, as version 1, and null where nothing is', async () => {
    expect(await a.get(sid)).toBeNull();
    await a.create(sid, credential(10, 'first'), 600);
    expect(await b.get(sid)).toEqual({ version: 1, credential: credential(10, 'first') });
  });

  it('should hand out frozen records, and keep none of the caller’s objects', async () => {
    const mine = credential(10, 'first');
    await a.create(sid, mine, 600);
    mine.tokens.session_token = 'changed after the write';
    const got = (await a.get(sid))!;
    expect(got.credential.tokens.session_token).toBe('first');
    for (const o of [got, got.credential, got.credential.user, got.credential.tokens])
      expect(Object.isFrozen(o)).toBe(true);
    expect(() => {
      (got.credential as { last_seen_at: number }).last_seen_at = 0;
    }).toThrow(TypeError);
  });

  it('should return the same object while the record is unchanged, and another after any write', async () => {
    await a.create(sid, credential(10, 'first'), 600);
    const first = (await a.get(sid))!;
    expect(await a.get(sid)).toBe(first);
    // Written again with equal content (on the other instance): a new object, a new version.
    expect(await b.replace(sid, 1, credential(10, 'first'), 600)).toBe(true);
    const second = (await a.get(sid))!;
    expect(second).not.toBe(first);
    expect(second.version).toBe(2);
    // What was handed out before stands for the earlier state, unchanged.
    expect(first).toEqual({ version: 1, credential: credential(10, 'first') });
  });

  it('should let exactly one of the writers naming one version win', async () => {
    await a.create(sid, credential(10, 'first'), 600);
    const won = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? a : b).replace(sid, 1, credential(20 + i, `w${i}`), 600),
      ),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = won.indexOf(true);
    expect(await a.get(sid)).toEqual({
      version: 2,
      credential: credential(20 + winner, `w${winner}`),
    });
    expect(await b.replace(sid, 1, credential(99, 'stale'), 600)).toBe(false);
    expect(await b.replace('no-such-session', 1, credential(99, 'gone'), 600)).toBe(false);
  });

  it('should tell exactly one of concurrent deleters that it removed the record', async () => {
    await a.create(sid, credential(10, 'first'), 600);
    expect((await a.get(sid))?.version).toBe(1); // remembered where a store remembers
    const removed = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).delete(sid)),
    );
    expect(removed.filter(Boolean)).toHaveLength(1);
    // Ended on one instance is ended on all at once.
    expect(await a.get(sid)).toBeNull();
    expect(await b.get(sid)).toBeNull();
    expect(await a.delete(sid)).toBe(false);
  });

  it('should let a record lapse at its TTL: not read, not deleted, not replaced', async () => {
    await a.create(sid, credential(10, 'short'), 1);
    expect(await a.get(sid)).not.toBeNull();
    await waitFor(async () => (await a.get(sid)) === null, 5000, 'the record to lapse');
    expect(await b.delete(sid)).toBe(false);
    expect(await b.replace(sid, 1, credential(11, 'late'), 600)).toBe(false);
  });
});

describe('credential store: Redis records are bound to their session id', () => {
  it('should refuse a record copied under another session id, even after decoding the original', async () => {
    const a = redisStore();
    await a.create('sid-2', credential(10, 'mine'), 600);
    expect(await a.get('sid-2')).not.toBeNull();
    const raw = clients[0];
    await raw.set('bff:test:cred:sid-3', (await raw.getBuffer('bff:test:cred:sid-2'))!);
    expect(await a.get('sid-3')).toBeNull();
  });
});
