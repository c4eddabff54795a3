import { randomBytes } from 'node:crypto';
import { environmentProblems } from './config';
import { loadSecurityConfig } from './security.config';
import { secretValuesOf, weakness } from './secrets';

const problems = environmentProblems;

/** 32 bytes of 0 and 1 in the Thue-Morse order: never periodic, but two byte values only. */
const thueMorseKey = () =>
  Buffer.from(Array.from({ length: 32 }, (_, i) => i.toString(2).split('1').length % 2)).toString(
    'base64',
  );

/** A complete production configuration with random secrets, as an operator generates them. */
const production = (): Record<string, string> => ({
  NODE_ENV: 'production',
  PUBLIC_ORIGIN: 'https://portal.example.com',
  REDIS_URL: 'redis://redis:6379',
  ONEACCESS_BASE_URL: 'https://abcdefg.huaweioneaccess.com',
  ONEACCESS_CLIENT_ID: 'DRrYIqauawN0I8myTMoDTPys6ezGZxnm',
  ONEACCESS_CLIENT_SECRET: randomBytes(24).toString('base64url'),
  SESSION_SECRETS: randomBytes(32).toString('base64'),
  SESSION_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
  ADMIN_TOKEN: randomBytes(32).toString('hex'),
  LOG_HASH_KEY: randomBytes(16).toString('hex'),
});

describe('secrets in configuration problems and in production', () => {
  it('should accept random secrets in production, hex of the minimum length included', () => {
    expect(problems(production())).toEqual([]);
    for (let i = 0; i < 2000; i++) {
      expect(weakness(randomBytes(16).toString('hex'))).toBeUndefined();
      expect(weakness(randomBytes(32).toString('latin1'), 'byte')).toBeUndefined();
    }
  });

  it('should name each bad secret variable and the problem, never its value', () => {
    const values = {
      ADMIN_TOKEN: 'short-admin-Tok3n',
      LOG_HASH_KEY: 'short-log-hash-K3y',
      SESSION_SECRETS: 'short-session-S3cret',
      SESSION_ENCRYPTION_KEYS: 'bm90LWEta2V5LWF0LWFsbA==',
      // mistyped: a missing slash, and a password inside
      REDIS_URL: 'redis:/bff:Sup3r-s3cret-pw@redis:6379',
    };
    const found = problems(values);
    const text = found.join('\n');
    for (const name of Object.keys(values))
      expect(found.some((p) => p.startsWith(`${name}: `))).toBe(true);
    for (const value of [...Object.values(values), 'Sup3r-s3cret-pw', 'bff:Sup3r'])
      expect(text).not.toContain(value);
    // the URL's place is still visible, so the typo can be found
    expect(text).toContain('REDIS_URL: must be a redis:// or rediss:// URL (got "***@redis:6379")');
    // values that are not secrets are still quoted
    expect(problems({ BASE_PATH: 'portal/' })).toEqual([
      expect.stringContaining('(got "portal/")'),
    ]);
  });

  it('should cut the credentials out of a malformed URL quoted in any problem', () => {
    const found = problems({ ONEACCESS_BASE_URL: 'https://app:cl1ent-pw@oa.example.com/path' });
    expect(found).toEqual([expect.stringContaining('(got "https://***@oa.example.com/path")')]);
    expect(found.join()).not.toContain('cl1ent-pw');
  });

  it.each([
    [
      'an all-zero key',
      { SESSION_ENCRYPTION_KEYS: Buffer.alloc(32).toString('base64') },
      /SESSION_ENCRYPTION_KEYS: a key is one byte repeated/,
    ],
    [
      'a repeated-byte key',
      { SESSION_ENCRYPTION_KEYS: Buffer.alloc(32, 0xa5).toString('base64') },
      /SESSION_ENCRYPTION_KEYS: a key is one byte repeated/,
    ],
    [
      'a key of few byte values',
      { SESSION_ENCRYPTION_KEYS: thueMorseKey() },
      /SESSION_ENCRYPTION_KEYS: a key has too little entropy/,
    ],
    [
      '40 x "a" as the session secret',
      { SESSION_SECRETS: 'a'.repeat(40) },
      /SESSION_SECRETS: a secret is one character repeated/,
    ],
    [
      'a repeated pattern',
      { ADMIN_TOKEN: 'abc123'.repeat(8) },
      /ADMIN_TOKEN: a secret is a repeated pattern/,
    ],
    [
      'a low-entropy secret',
      { LOG_HASH_KEY: 'aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeee' },
      /LOG_HASH_KEY: a secret has too little entropy/,
    ],
  ])('should refuse %s in production, naming the variable only', (_, weak, message) => {
    const env = { ...production(), ...weak };
    const found = problems(env);
    expect(found).toEqual([expect.stringMatching(message)]);
    for (const value of Object.values(weak)) expect(found.join()).not.toContain(value);
  });

  it('should refuse ADMIN_TOKEN equal to a session secret or to any other secret', () => {
    const env = production();
    const older = randomBytes(32).toString('base64');
    const reused = problems({
      ...env,
      SESSION_SECRETS: `${env.SESSION_SECRETS},${older}`,
      ADMIN_TOKEN: older,
    });
    expect(reused).toEqual([
      expect.stringMatching(
        /^SESSION_SECRETS: equal to a value of ADMIN_TOKEN|^ADMIN_TOKEN: equal to a value of SESSION_SECRETS/,
      ),
    ]);
    expect(reused.join()).not.toContain(older);
    expect(problems({ ...env, LOG_HASH_KEY: env.ONEACCESS_CLIENT_SECRET })).toEqual([
      expect.stringMatching(
        /LOG_HASH_KEY.*ONEACCESS_CLIENT_SECRET|ONEACCESS_CLIENT_SECRET.*LOG_HASH_KEY/,
      ),
    ]);
  });

  it('should let ALLOW_INSECURE=true through, listing what it let through without values', () => {
    const weak = { ...production(), SESSION_SECRETS: 'a'.repeat(40), ALLOW_INSECURE: 'true' };
    expect(problems(weak)).toEqual([]);
    expect(loadSecurityConfig(weak).overridden).toEqual([
      expect.stringMatching(/^SESSION_SECRETS: a secret is one character repeated/),
    ]);
  });

  it('should leave development alone with its defaults and weak values', () => {
    expect(problems({})).toEqual([]);
    expect(
      problems({
        SESSION_SECRETS: 'a'.repeat(40),
        SESSION_ENCRYPTION_KEYS: Buffer.alloc(32).toString('base64'),
        ADMIN_TOKEN: 'a'.repeat(40),
      }),
    ).toEqual([]);
  });

  it('should list every secret value for the doctor, whole lists first, Redis credentials too', () => {
    const secrets = secretValuesOf({
      ONEACCESS_CLIENT_SECRET: 'client-secret-1',
      SESSION_SECRETS: 'newest-secret-aaaa, older-secret-bbbb',
      SESSION_ENCRYPTION_KEYS: 'a2V5LW9uZQ==',
      ADMIN_TOKEN: 'admin-token-1',
      LOG_HASH_KEY: 'log-hash-key-1',
      REDIS_URL: 'rediss://bff:p%40ss-word@redis:6380/0',
      PUBLIC_ORIGIN: 'https://portal.example.com',
    });
    expect(secrets).toEqual(
      expect.arrayContaining([
        'client-secret-1',
        'newest-secret-aaaa, older-secret-bbbb',
        'newest-secret-aaaa',
        'older-secret-bbbb',
        'a2V5LW9uZQ==',
        'admin-token-1',
        'log-hash-key-1',
        'bff:p%40ss-word',
        'p%40ss-word',
        'p@ss-word',
      ]),
    );
    expect(secrets).not.toContain('https://portal.example.com');
    expect(secrets.indexOf('newest-secret-aaaa, older-secret-bbbb')).toBeLessThan(
      secrets.indexOf('newest-secret-aaaa'),
    );
    // a mistyped URL's password is found too
    expect(secretValuesOf({ REDIS_URL: 'redis:/:typo-pass@redis' })).toContain('typo-pass');
  });
});
