import { loadDemoConfig } from './demo.config';
import { ConfigError } from './validate-env';

describe('demo configuration (DEMO_ENABLED)', () => {
  it('should enable the demo in development and disable it in production by default', () => {
    expect(loadDemoConfig({}).enabled).toBe(true);
    expect(loadDemoConfig({ NODE_ENV: 'production' }).enabled).toBe(false);
  });

  it('should follow DEMO_ENABLED in either mode', () => {
    expect(loadDemoConfig({ NODE_ENV: 'production', DEMO_ENABLED: 'true' }).enabled).toBe(true);
    expect(loadDemoConfig({ DEMO_ENABLED: 'false' }).enabled).toBe(false);
    expect(loadDemoConfig({ DEMO_ENABLED: '0' }).enabled).toBe(false);
  });

  it('should refuse a value that is not a boolean word, naming the variable', () => {
    expect(() => loadDemoConfig({ DEMO_ENABLED: 'maybe' })).toThrow(ConfigError);
    expect(() => loadDemoConfig({ DEMO_ENABLED: 'maybe' })).toThrow(/DEMO_ENABLED/);
  });
});
