import { FactoryProvider, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { RedisStore } from 'connect-redis';
import { SessionData, Store } from 'express-session';
import { redisConfig } from '../../config/redis.config';
import { sessionConfig } from '../../config/session.config';
import { SessionCipher } from '../crypto/session-cipher';
import { REDIS, RedisClient } from '../redis/redis.module';
import { CREDENTIAL_STORE, CredentialStore } from './credential';
import { MemoryCredentialStore } from './memory-credential.store';
import { MemorySessionStore } from './memory-session.store';
import { RedisCredentialStore } from './redis-credential.store';
import {
  MemoryOneTimeStore,
  ONE_TIME_STORE,
  OneTimeStore,
  RedisOneTimeStore,
} from './one-time.store';
import { sessionCookieOptions } from './session-cookie';
import { sessionRecordTtlSeconds } from './session-ttl';

export const SESSION_STORE = Symbol('SESSION_STORE');
export const SESSION_CIPHER = Symbol('SESSION_CIPHER');

export const sessionCipherProvider: FactoryProvider<SessionCipher> = {
  provide: SESSION_CIPHER,
  inject: [sessionConfig.KEY],
  useFactory: (cfg: ConfigType<typeof sessionConfig>) => new SessionCipher(cfg.encryptionKeys),
};

/**
 * express-session's store: Redis (connect-redis on ioredis) with every record encrypted, or,
 * in development without Redis only, a bounded in-process store.
 */
export const sessionStoreProvider: FactoryProvider<Store> = {
  provide: SESSION_STORE,
  inject: [REDIS, redisConfig.KEY, sessionConfig.KEY, SESSION_CIPHER],
  useFactory: (
    redis: RedisClient | null,
    redisCfg: ConfigType<typeof redisConfig>,
    sessionCfg: ConfigType<typeof sessionConfig>,
    cipher: SessionCipher,
  ) => {
    const ttl = (session: SessionData) => sessionRecordTtlSeconds(sessionCfg, session);
    const cookie = sessionCookieOptions(sessionCfg);
    if (redis) {
      return new RedisStore({
        client: redis,
        prefix: `${redisCfg.keyPrefix}sess:`,
        ttl,
        // Pending state_tokens and captcha_tokens are token material too (docs/security.md 16).
        serializer: {
          // Without express-session's cookie object: it is the same for every session (the
          // configured attributes, never an expiry), so it is put back on reading instead of
          // being stored once per session. Records that still hold one keep theirs.
          stringify: ({ cookie: _cookie, ...session }: SessionData) =>
            cipher.encrypt(JSON.stringify(session)),
          // A record no configured key can read (a retired key, tampering) is no session at all.
          parse: (text: string) => {
            try {
              const session = JSON.parse(cipher.decrypt(text)) as SessionData;
              session.cookie ??= {
                ...cookie,
                originalMaxAge: null,
                expires: null,
              } as unknown as SessionData['cookie'];
              return session;
            } catch {
              // connect-redis passes null on as "no session", as for a missing key.
              return null as unknown as SessionData;
            }
          },
        },
      });
    }
    new Logger('Session').warn(
      'REDIS_URL is not set: sessions are kept in this process only, are lost on restart and are not shared ' +
        'between instances (development only).',
    );
    return new MemorySessionStore(ttl);
  },
};

export const credentialStoreProvider: FactoryProvider<CredentialStore> = {
  provide: CREDENTIAL_STORE,
  inject: [REDIS, redisConfig.KEY, SESSION_CIPHER],
  useFactory: (
    redis: RedisClient | null,
    redisCfg: ConfigType<typeof redisConfig>,
    cipher: SessionCipher,
  ) =>
    redis
      ? new RedisCredentialStore(redis, cipher, redisCfg.keyPrefix)
      : new MemoryCredentialStore(),
};

export const oneTimeStoreProvider: FactoryProvider<OneTimeStore> = {
  provide: ONE_TIME_STORE,
  inject: [REDIS, redisConfig.KEY],
  useFactory: (redis: RedisClient | null, redisCfg: ConfigType<typeof redisConfig>) =>
    redis
      ? new RedisOneTimeStore(
          redis,
          `${redisCfg.keyPrefix}once:`,
          `${redisCfg.keyPrefix}once-index:`,
        )
      : new MemoryOneTimeStore(),
};
