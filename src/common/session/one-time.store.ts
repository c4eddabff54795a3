import { storeUnavailable } from '../errors/app-error';
import type { RedisClient } from '../redis/redis.module';

export const ONE_TIME_STORE = Symbol('ONE_TIME_STORE');

/** Where a record belongs: at most `max` records of one group live at once. */
export interface RecordGroup {
  name: string;
  max: number;
}

/**
 * Short-lived records that may be read once (the OAuth pre-login records, one per `state`), in
 * bounded groups (one per browser): `take` reads and deletes atomically, so a record can never be
 * used twice, even by two instances at the same moment, and `put` beyond a group's `max` deletes
 * the group's oldest record.
 */
export interface OneTimeStore {
  put(group: RecordGroup, key: string, value: string, ttlS: number): Promise<void>;
  /** The record (null when there is none), and how many records of its group are left. */
  take(group: string, key: string): Promise<{ value: string | null; left: number }>;
}

/**
 * KEYS: record, group index. ARGV: value, ttl (s), max. The index is a list of record keys,
 * oldest first, each once (a record put again moves to the end); keys are hash-tagged by the caller so both live in one Cluster slot.
 */
const PUT = `
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('LREM', KEYS[2], 0, KEYS[1])
redis.call('RPUSH', KEYS[2], KEYS[1])
redis.call('EXPIRE', KEYS[2], ARGV[2])
local over = redis.call('LLEN', KEYS[2]) - tonumber(ARGV[3])
for _ = 1, over do redis.call('DEL', redis.call('LPOP', KEYS[2])) end
return 1`;

/** KEYS: record, group index. Returns { value or '', records left in the group }. */
const TAKE = `
local value = redis.call('GET', KEYS[1])
if value then redis.call('DEL', KEYS[1]) end
redis.call('LREM', KEYS[2], 0, KEYS[1])
for _, key in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  if redis.call('EXISTS', key) == 0 then redis.call('LREM', KEYS[2], 0, key) end
end
return { value or '', redis.call('LLEN', KEYS[2]) }`;

export class RedisOneTimeStore implements OneTimeStore {
  /**
   * @param prefix of the records (`<REDIS_KEY_PREFIX>once:`)
   * @param indexPrefix of the group indexes, apart so that every key under `prefix` is a record
   */
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly indexPrefix: string,
  ) {}

  async put(group: RecordGroup, key: string, value: string, ttlS: number): Promise<void> {
    await this.redis
      .eval(
        PUT,
        2,
        this.prefix + key,
        this.indexPrefix + group.name,
        value,
        String(ttlS),
        String(group.max),
      )
      .catch((err: unknown) => {
        throw storeUnavailable(err);
      });
  }

  async take(group: string, key: string): Promise<{ value: string | null; left: number }> {
    const [value, left] = (await this.redis
      .eval(TAKE, 2, this.prefix + key, this.indexPrefix + group)
      .catch((err: unknown) => {
        throw storeUnavailable(err);
      })) as [string, number];
    return { value: value === '' ? null : value, left };
  }
}

export class MemoryOneTimeStore implements OneTimeStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  private readonly groups = new Map<string, string[]>();

  constructor(private readonly maxEntries = 10_000) {}

  put(group: RecordGroup, key: string, value: string, ttlS: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: Date.now() + ttlS * 1000 });
    const keys = [...(this.groups.get(group.name) ?? []).filter((k) => k !== key), key];
    while (keys.length > group.max) this.entries.delete(keys.shift()!);
    this.groups.delete(group.name);
    this.groups.set(group.name, keys);
    while (this.entries.size > this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
    while (this.groups.size > this.maxEntries)
      this.groups.delete(this.groups.keys().next().value as string);
    return Promise.resolve();
  }

  take(group: string, key: string): Promise<{ value: string | null; left: number }> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    const now = Date.now();
    const left = (this.groups.get(group) ?? []).filter(
      (k) => (this.entries.get(k)?.expiresAt ?? 0) > now,
    );
    if (left.length > 0) this.groups.set(group, left);
    else this.groups.delete(group);
    return Promise.resolve({
      value: entry && entry.expiresAt > now ? entry.value : null,
      left: left.length,
    });
  }
}
