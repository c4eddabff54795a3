import { createHash, randomBytes } from 'node:crypto';
import { storeUnavailable } from '../errors/app-error';
import { SessionCipher } from '../crypto/session-cipher';
import type { RedisClient } from '../redis/redis.module';
import { Credential, CredentialStore, StoredCredential } from './credential';
import { decodeCredential, encodeCredential } from './credential-codec';
import { DecodedRecords } from './decoded-records';

// Values are `<version>|<sealed bytes>`: the version stays readable so the compare-and-set runs
// inside Redis without the key. The sealed bytes are the compact encoding (credential-codec.ts)
// encrypted in binary form; records of the earlier format (`<version>|g1.<text>`, JSON) are
// still read, and rewritten in the new one at their next write.
const REPLACE = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local version = string.match(current, '^(%d+)|')
if version ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

const BAR = 0x7c; // '|'
/** First byte of the earlier text format (`g1.`). */
const TEXT_FORMAT = 0x67;

const UNLOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Credentials in Redis, encrypted, one key per session (Cluster-safe: no multi-key command). */
export class RedisCredentialStore implements CredentialStore {
  private readonly decoded = new DecodedRecords();

  constructor(
    private readonly redis: RedisClient,
    private readonly cipher: SessionCipher,
    private readonly prefix: string,
  ) {}

  get(sid: string): Promise<StoredCredential | null> {
    // A plain then() rather than async/await and run(): this is the relay's one Redis read per
    // request, and every promise on it costs (more so with AsyncLocalStorage hooks installed).
    return this.redis.getBuffer(this.key(sid)).then(
      (raw) => this.decode(sid, raw),
      (err: unknown) => {
        throw storeUnavailable(err);
      },
    );
  }

  private decode(sid: string, raw: Buffer | null): StoredCredential | null {
    if (!raw) {
      this.decoded.forget(sid);
      return null;
    }
    const known = this.decoded.get(sid, raw);
    if (known) return known;
    const bar = raw.indexOf(BAR);
    try {
      const version = Number(raw.toString('latin1', 0, bar));
      const body = raw.subarray(bar + 1);
      const credential =
        body[0] === TEXT_FORMAT
          ? (JSON.parse(this.cipher.decrypt(body.toString('latin1'), sid)) as Credential)
          : decodeCredential(this.cipher.open(body, sid));
      return this.decoded.remember(sid, raw, { version, credential });
    } catch {
      // Written with a key no longer configured, or tampered with: it is not a session.
      return null;
    }
  }

  async create(sid: string, credential: Credential, ttlS: number): Promise<void> {
    await this.run(() => this.redis.set(this.key(sid), this.value(sid, 1, credential), 'EX', ttlS));
  }

  async replace(
    sid: string,
    version: number,
    credential: Credential,
    ttlS: number,
  ): Promise<boolean> {
    const done = await this.run(() =>
      this.redis.eval(
        REPLACE,
        1,
        this.key(sid),
        String(version),
        this.value(sid, version + 1, credential),
        String(ttlS),
      ),
    );
    return done === 1;
  }

  async delete(sid: string): Promise<boolean> {
    this.decoded.forget(sid);
    // DEL is atomic: of concurrent deleters on any instance exactly one sees 1.
    return (await this.run(() => this.redis.del(this.key(sid)))) === 1;
  }

  async indexSession(userId: string, sid: string, createdAt: number, ttlS: number): Promise<void> {
    const key = this.userKey(userId);
    await this.run(() => this.redis.zadd(key, createdAt, sid));
    // The index lives as long as its newest session can (callers pass the absolute lifetime).
    await this.run(() => this.redis.expire(key, ttlS));
    // One sorted set of every session by when it lapses: a gauge reads it with ZCARD, no SCAN.
    await this.run(() => this.redis.zadd(this.liveKey, Date.now() + ttlS * 1000, sid));
  }

  async countIndexed(): Promise<number> {
    await this.run(() => this.redis.zremrangebyscore(this.liveKey, '-inf', Date.now()));
    return this.run(() => this.redis.zcard(this.liveKey));
  }

  async userSessions(userId: string): Promise<string[]> {
    return this.run(() => this.redis.zrange(this.userKey(userId), 0, -1));
  }

  async unindexSession(userId: string, sid: string): Promise<void> {
    await this.run(() => this.redis.zrem(this.userKey(userId), sid));
    await this.run(() => this.redis.zrem(this.liveKey, sid));
  }

  private get liveKey(): string {
    return `${this.prefix}live-sessions`;
  }

  async tryLock(sid: string, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const token = randomBytes(16).toString('hex');
    const key = `${this.prefix}lock:${sid}`;
    const got = await this.run(() => this.redis.set(key, token, 'PX', ttlMs, 'NX'));
    if (got !== 'OK') return null;
    // Release only our own lock: after a long stall it may have expired and passed to another.
    return async () => {
      await this.redis.eval(UNLOCK, 1, key, token).catch(() => undefined);
    };
  }

  /** User ids are hashed in key names: Redis key lists are not for personal data. */
  private userKey(userId: string): string {
    return `${this.prefix}user:${createHash('sha256').update(userId).digest('base64url').slice(0, 22)}`;
  }

  private key(sid: string): string {
    return `${this.prefix}cred:${sid}`;
  }

  /** Bound to its session id: a record copied under another id does not decrypt there. */
  private value(sid: string, version: number, credential: Credential): Buffer {
    return Buffer.concat([
      Buffer.from(`${version}|`),
      this.cipher.seal(encodeCredential(credential), sid),
    ]);
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      throw storeUnavailable(err);
    }
  }
}
