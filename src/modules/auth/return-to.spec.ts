import { safeReturnTo } from './return-to';

describe('safeReturnTo', () => {
  it.each(['/', '/orders/42?tab=lines#top', '/a%20b', '/search?q=a//b'])(
    'should keep %s',
    (path) => {
      expect(safeReturnTo(path, '/')).toBe(path);
    },
  );

  it.each([
    '//evil.example',
    'https://evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '%2F%2Fevil.example',
    '/%2F%2Fevil.example',
    '/%5Cevil.example',
    'javascript:alert(1)',
    'evil.example',
    '/\tjavascript:x',
    '/%0d%0aSet-Cookie:x',
    '/%E0%A4%A',
    '',
    undefined,
  ])('should replace %s with the fallback', (value) => {
    expect(safeReturnTo(value, '/home')).toBe('/home');
  });
});
