import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDemoConfig } from './demo.config';
import { DEFAULT_SPA_CSP, loadSpaConfig } from './spa.config';

describe('SPA configuration (SPA_DIR, SPA_CSP)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bff-spa-cfg-'));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html>');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('should be off without SPA_DIR and refuse SPA_CSP alone', () => {
    expect(loadSpaConfig({}).root).toBeNull();
    expect(() => loadSpaConfig({ SPA_CSP: "default-src 'self'" })).toThrow(
      /SPA_CSP: needs SPA_DIR/,
    );
  });

  it('should resolve the directory to its real path and keep the default policy', () => {
    const cfg = loadSpaConfig({ SPA_DIR: join(dir, 'dist', '.') });
    expect(cfg.root).toBe(join(dir, 'dist'));
    expect(cfg.csp).toBe(DEFAULT_SPA_CSP);
    expect(loadSpaConfig({ SPA_DIR: join(dir, 'dist'), SPA_CSP: "default-src 'self'" }).csp).toBe(
      "default-src 'self'",
    );
  });

  it('should refuse a directory without index.html, and a policy on two lines', () => {
    expect(() => loadSpaConfig({ SPA_DIR: dir })).toThrow(/SPA_DIR/);
    expect(() => loadSpaConfig({ SPA_DIR: join(dir, 'dist'), SPA_CSP: 'a\nb' })).toThrow(/SPA_CSP/);
  });

  it('should refuse the SPA and the demo together, and turn the demo off by default with the SPA', () => {
    expect(() => loadSpaConfig({ SPA_DIR: join(dir, 'dist'), DEMO_ENABLED: 'true' })).toThrow(
      /DEMO_ENABLED/,
    );
    expect(loadSpaConfig({ SPA_DIR: join(dir, 'dist'), DEMO_ENABLED: 'false' }).root).toBeTruthy();
    expect(loadDemoConfig({ SPA_DIR: join(dir, 'dist') }).enabled).toBe(false);
    expect(loadDemoConfig({}).enabled).toBe(true);
  });
});
