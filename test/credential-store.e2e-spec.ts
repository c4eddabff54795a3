import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { SessionCipher } from '../src/common/crypto/session-cipher';
import type { Credential } from '../src/common/session/credential';
import { RedisCredentialStore } from '../src/common/session/redis-credential.store';
import { TestRedisServer } from './helpers/redis-server';

/**
 * The credential store reuses the record it decoded while Redis returns the same bytes. Two stores
 * on one Redis stand for two gateway instances: what one writes or deletes, the other must see on
 * its very next read, never an earlier decoded copy.
 */
describe('credential store: decoded records across instances (real Redis)', () => {
  const server = new TestRedisServer();
  const clients: Redis[] = [];
  let a: RedisCredentialStore;
  let b: RedisCredentialStore;
  const cipher = new SessionCipher([randomBytes(32)]);
  const credential = (lastSeen: number, token: string): Credential => ({
    user: { id: 'u-1', user_name: 'zhangsan', name: 'Z', mobile: '', email: '' },
    login_method: 'password',
    fingerprint: 'fp',
    created_at: 1,
    last_seen_at: lastSeen,
    ip: '127.0.0.1',
    user_agent: 'UA',
    tokens: { session_token: token },
  });

  beforeAll(async () => {
    await server.start();
    const client = () => {
      const c = new Redis(server.url);
      clients.push(c);
      return c;
    };
    a = new RedisCredentialStore(client(), cipher, 'bff:test:');
    b = new RedisCredentialStore(client(), cipher, 'bff:test:');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
    await server.stop();
  });

  it('should reuse an unchanged record, and read every change made elsewhere at once', async () => {
    await a.create('sid-1', credential(10, 'first'), 600);
    const first = await a.get('sid-1');
    expect(first?.credential.tokens.session_token).toBe('first');
    expect(await a.get('sid-1')).toBe(first); // the same bytes: not decoded again

    // Another instance refreshes the token (compare-and-set on the version).
    expect(await b.replace('sid-1', first!.version, credential(20, 'second'), 600)).toBe(true);
    const second = await a.get('sid-1');
    expect(second).toEqual({ version: 2, credential: credential(20, 'second') });

    // The same content written again is new bytes too (a new version and IV): decoded anew.
    expect(await b.replace('sid-1', 2, credential(20, 'second'), 600)).toBe(true);
    expect((await a.get('sid-1'))?.version).toBe(3);

    // Another instance ends the session: this one must not answer from what it decoded.
    await b.delete('sid-1');
    expect(await a.get('sid-1')).toBeNull();
  });

  it('should refuse a record copied under another session id, even after decoding the original', async () => {
    await a.create('sid-2', credential(10, 'mine'), 600);
    expect(await a.get('sid-2')).not.toBeNull();
    const raw = clients[0];
    await raw.set('bff:test:cred:sid-3', (await raw.getBuffer('bff:test:cred:sid-2'))!);
    expect(await a.get('sid-3')).toBeNull();
  });
});
