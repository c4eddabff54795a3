import { contentTypeOf, isHashedAsset, spaTarget } from './spa-path';

describe('spaTarget', () => {
  it('should leave the gateway paths to the gateway, in any case', () => {
    for (const p of [
      '/auth/session',
      '/AUTH/x',
      '/api/files/a.js',
      '/admin',
      '/healthz',
      '/METRICS',
      '/docs/x.css',
      '/openapi.json',
      '/%61uth/session',
      '//METRICS/',
      '/x/../admin/sessions',
    ])
      expect({ p, t: spaTarget(p) }).toEqual({ p, t: { kind: 'pass' } });
  });

  it('should refuse every spelling that climbs, smuggles a separator or names a hidden file', () => {
    for (const p of [
      '/../x',
      '/a/%2e%2e/x',
      '/%2E%2e/x',
      '/a%2fb',
      '/a%5cb',
      '/a\\b',
      '/a%00.js',
      '/.env',
      '/a/.git/config',
      '/%zz',
    ])
      expect({ p, t: spaTarget(p) }).toEqual({ p, t: { kind: 'refuse' } });
  });

  it('should name the file relative to the directory, and whether it has an extension', () => {
    expect(spaTarget('/')).toEqual({ kind: 'file', rel: '', hasExtension: false });
    expect(spaTarget('/orders/7')).toEqual({ kind: 'file', rel: 'orders/7', hasExtension: false });
    expect(spaTarget('//assets//a.js')).toEqual({
      kind: 'file',
      rel: 'assets/a.js',
      hasExtension: true,
    });
    expect(spaTarget('/%E4%B8%AD.png')).toEqual({
      kind: 'file',
      rel: '中.png',
      hasExtension: true,
    });
  });
});

describe('isHashedAsset', () => {
  it.each([
    'assets/index-B4x9Qz1a.js',
    'assets/logo.svg',
    'app.3f9a1c2b.js',
    'static/js/main.3f9a1c2b.chunk.js',
    'index-DkZ0_x9a.css',
  ])('should treat %s as hashed', (rel) => expect(isHashedAsset(rel)).toBe(true));
  it.each([
    'index.html',
    'robots.txt',
    'my-component.js',
    'jquery-3.7.1.min.js',
    'favicon.ico',
    'x/assets/a.js',
  ])('should not treat %s as hashed', (rel) => expect(isHashedAsset(rel)).toBe(false));
});

describe('contentTypeOf', () => {
  it('should type by extension, bytes when unknown', () => {
    expect(contentTypeOf('a/B.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('f.woff2')).toBe('font/woff2');
    expect(contentTypeOf('x.bin')).toBe('application/octet-stream');
  });
});
