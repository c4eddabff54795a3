import { FactoryProvider, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { RedisStore } from 'connect-redis';
import { Store } from 'express-session';
import { redisConfig } from '../../config/redis.config';
import { sessionConfig } from '../../config/session.config';
import { REDIS, RedisClient } from '../redis/redis.module';
import { MemorySessionStore } from './memory-session.store';
import { sessionTtlSeconds } from './session-ttl';

export const SESSION_STORE = Symbol('SESSION_STORE');

/** Redis when configured; otherwise (development only, refused in production) a bounded in-process store. */
export const sessionStoreProvider: FactoryProvider<Store> = {
  provide: SESSION_STORE,
  inject: [REDIS, redisConfig.KEY, sessionConfig.KEY],
  useFactory: (
    redis: RedisClient | null,
    redisCfg: ConfigType<typeof redisConfig>,
    sessionCfg: ConfigType<typeof sessionConfig>,
  ) => {
    const ttl = (session: Parameters<typeof sessionTtlSeconds>[1]) =>
      sessionTtlSeconds(sessionCfg, session);
    if (redis) return new RedisStore({ client: redis, prefix: `${redisCfg.keyPrefix}sess:`, ttl });
    new Logger('Session').warn(
      'REDIS_URL is not set: sessions are kept in this process only, are lost on restart and are not shared ' +
        'between instances (development only).',
    );
    return new MemorySessionStore(ttl);
  },
};
