/** A complete, sound production configuration for the configuration's unit tests. */
export const PRODUCTION_OK = {
  NODE_ENV: 'production',
  PUBLIC_ORIGIN: 'https://portal.example.com',
  REDIS_URL: 'redis://redis:6379',
  ONEACCESS_BASE_URL: 'https://abcdefg.huaweioneaccess.com',
  ONEACCESS_CLIENT_ID: 'DRrYIqauawN0I8myTMoDTPys6ezGZxnm',
  ONEACCESS_CLIENT_SECRET: 'k9S2m4Q7x1V8b3N6c5Z0a2L4j7H9g1F3',
  SESSION_SECRETS: 'wq8Lr2Vn5Xb7Kc1Mz9Pd3Tf6Hj0Ys4Ga',
  SESSION_ENCRYPTION_KEYS: 'q3Vw0Zr8dXk1LmN7bT2yHs9aJcE5fPg4RiO6uWx+Dz0=',
};
