import { loadDocsConfig } from './docs.config';
import { ConfigError } from './validate-env';

describe('docs configuration (DOCS_ENABLED)', () => {
  it('should serve the docs by default in development and not in production', () => {
    expect(loadDocsConfig({}).enabled).toBe(true);
    expect(loadDocsConfig({ NODE_ENV: 'production' }).enabled).toBe(false);
    expect(loadDocsConfig({ NODE_ENV: 'production', DOCS_ENABLED: 'true' }).enabled).toBe(true);
  });

  it('should turn the docs off with DOCS_ENABLED=false in either mode', () => {
    expect(loadDocsConfig({ NODE_ENV: 'production', DOCS_ENABLED: 'false' }).enabled).toBe(false);
    expect(loadDocsConfig({ DOCS_ENABLED: '0' }).enabled).toBe(false);
    expect(loadDocsConfig({ DOCS_ENABLED: 'true' }).enabled).toBe(true);
  });

  it('should refuse a value that is not a boolean word, naming the variable', () => {
    expect(() => loadDocsConfig({ DOCS_ENABLED: 'maybe' })).toThrow(ConfigError);
    expect(() => loadDocsConfig({ DOCS_ENABLED: 'maybe' })).toThrow(/DOCS_ENABLED/);
  });
});
