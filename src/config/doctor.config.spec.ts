import { loadDoctorConfig } from './doctor.config';

describe('doctor configuration', () => {
  it('should refuse an OAUTH_JWKS_URL that is not an http(s) URL', () => {
    expect(loadDoctorConfig({ OAUTH_JWKS_URL: 'https://idp/jwks' }).jwksUrl).toBe(
      'https://idp/jwks',
    );
    expect(() => loadDoctorConfig({ OAUTH_JWKS_URL: 'jwks.json' })).toThrow(/OAUTH_JWKS_URL/);
  });
});
