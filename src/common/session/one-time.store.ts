import { storeUnavailable } from '../errors/app-error';
import type { RedisClient } from '../redis/redis.module';

export const ONE_TIME_STORE = Symbol('ONE_TIME_STORE');

/**
 * Short-lived records that may be read once (the OAuth pre-login record under its `state`):
 * `take` reads and deletes atomically, so a state can never be used twice, even by two
 * instances at the same moment.
 */
export interface OneTimeStore {
  put(key: string, value: string, ttlS: number): Promise<void>;
  take(key: string): Promise<string | null>;
}

export class RedisOneTimeStore implements OneTimeStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async put(key: string, value: string, ttlS: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'EX', ttlS).catch((err: unknown) => {
      throw storeUnavailable(err);
    });
  }

  async take(key: string): Promise<string | null> {
    return this.redis.getdel(this.prefix + key).catch((err: unknown) => {
      throw storeUnavailable(err);
    });
  }
}

export class MemoryOneTimeStore implements OneTimeStore {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  put(key: string, value: string, ttlS: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: Date.now() + ttlS * 1000 });
    while (this.entries.size > this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
    return Promise.resolve();
  }

  take(key: string): Promise<string | null> {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return Promise.resolve(entry && entry.expiresAt > Date.now() ? entry.value : null);
  }
}
