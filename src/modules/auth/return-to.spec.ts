import fc from 'fast-check';
import { canonicalPath, isAtOrUnder } from '../../common/http/canonical-path';
import { confinedReturnTo, MAX_RETURN_TO, safeReturnTo } from './return-to';

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

describe('confinedReturnTo', () => {
  it.each([
    '/portal/',
    '/portal',
    '/portal/orders/42?tab=lines#top',
    '/portal?x=1',
    // Escapes that stay inside the prefix once decoded are the SPA's own business.
    '/portal/files/a%2Fb',
    '/portal/x/..%2Forders',
    '/portal/a%20b',
  ])('should keep %s under /portal', (path) => {
    expect(confinedReturnTo(path, '/portal')).toBe(path);
  });

  it.each([
    '/dashboard',
    '/',
    '/portalx/orders',
    '/other-app/orders',
    '/portal/../other-app',
    '/portal/%2e%2e/other-app',
    '/portal/./../other-app',
    '/portal/..%2Fadmin',
    '/portal/..%2fadmin',
    '/portal/%2e%2e%2fadmin',
    '/portal/%2E%2E%2Fadmin',
    '/portal/.%2e/admin',
    '/portal/x/..%2F..%2Fadmin',
    '/portal%2F..%2Fadmin',
    '/portal/..%2F',
    '//evil.example/portal/',
    '/portal/\\evil.example',
    'https://evil.example/portal/',
    undefined,
  ])('should replace %s with /portal/', (value) => {
    expect(confinedReturnTo(value, '/portal')).toBe('/portal/');
  });

  it('should never send the browser outside /portal, however the target climbs', () => {
    const climb = fc.constantFrom('..', '%2e%2e', '%2E%2E', '.%2e', '%2e.');
    const slash = fc.constantFrom('/', '%2f', '%2F', '//');
    const target = fc
      .array(fc.oneof(climb, slash, fc.constantFrom('x', 'admin', '.', '%2e')), { maxLength: 8 })
      .map((parts) => `/portal/${parts.join('')}`);
    fc.assert(
      fc.property(target, (value) => {
        const landing = confinedReturnTo(value, '/portal');
        // As nginx reads the Location: decoded once, dot segments resolved.
        expect({ value, under: isAtOrUnder(canonicalPath(landing), '/portal') }).toEqual({
          value,
          under: true,
        });
      }),
      { numRuns: 500 },
    );
  });

  it('should keep a target of the maximum length and refuse one character more', () => {
    const exact = `/portal/${'a'.repeat(MAX_RETURN_TO - '/portal/'.length)}`;
    expect(confinedReturnTo(exact, '/portal')).toBe(exact);
    expect(confinedReturnTo(`${exact}a`, '/portal')).toBe('/portal/');
  });

  it('should only apply the open-redirect rules without a base path', () => {
    expect(confinedReturnTo('/dashboard', '')).toBe('/dashboard');
    expect(confinedReturnTo('//evil.example', '')).toBe('/');
    expect(confinedReturnTo(`/${'a'.repeat(MAX_RETURN_TO)}`, '')).toBe('/');
  });
});
