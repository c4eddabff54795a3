import { loadDoctorConfig, secretValuesOf } from './doctor.config';

describe('doctor configuration', () => {
  it('should list every secret value, whole lists before their items, and Redis URL passwords', () => {
    const secrets = secretValuesOf({
      ONEACCESS_CLIENT_SECRET: 'client-secret-1',
      SESSION_SECRETS: 'newest-secret-aaaa, older-secret-bbbb',
      SESSION_ENCRYPTION_KEYS: 'a2V5LW9uZQ==',
      ADMIN_TOKEN: 'admin-token-1',
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
        'p%40ss-word',
        'p@ss-word',
      ]),
    );
    expect(secrets).not.toContain('https://portal.example.com');
    expect(secrets.indexOf('newest-secret-aaaa, older-secret-bbbb')).toBeLessThan(
      secrets.indexOf('newest-secret-aaaa'),
    );
  });

  it('should refuse an OAUTH_JWKS_URL that is not an http(s) URL', () => {
    expect(loadDoctorConfig({ OAUTH_JWKS_URL: 'https://idp/jwks' }).jwksUrl).toBe(
      'https://idp/jwks',
    );
    expect(() => loadDoctorConfig({ OAUTH_JWKS_URL: 'jwks.json' })).toThrow(/OAUTH_JWKS_URL/);
  });
});
