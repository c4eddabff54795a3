import { loadLoggingConfig, startupLogFormat } from './logging.config';
import { ConfigError } from './validate-env';

describe('LOG_FORMAT', () => {
  it('should print start-up failures as JSON in production and as text elsewhere, by default', () => {
    expect(startupLogFormat({ NODE_ENV: 'production' })).toBe('json');
    expect(startupLogFormat({})).toBe('text');
  });

  it('should follow LOG_FORMAT either way, and fall back to the default on a bad value', () => {
    expect(startupLogFormat({ LOG_FORMAT: 'json' })).toBe('json');
    expect(startupLogFormat({ NODE_ENV: 'production', LOG_FORMAT: 'text' })).toBe('text');
    // Read while the configuration is being refused: a typo must not hide the reason.
    expect(startupLogFormat({ NODE_ENV: 'production', LOG_FORMAT: 'jsno' })).toBe('json');
  });

  it('should name a bad LOG_FORMAT among the configuration problems', () => {
    expect(() => loadLoggingConfig({ LOG_FORMAT: 'jsno' })).toThrow(ConfigError);
    expect(() => loadLoggingConfig({ LOG_FORMAT: 'text' })).not.toThrow();
  });
});
