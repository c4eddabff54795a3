import fc from 'fast-check';
import { spellingOf } from '../../../test/helpers/path-spellings';
import { canonicalPath, isAtOrUnder } from './canonical-path';

describe('canonicalPath', () => {
  it.each([
    ['/', '/'],
    ['', '/'],
    ['/auth/session', '/auth/session'],
    ['/auth/session?x=1', '/auth/session'],
    ['/METRICS', '/metrics'],
    ['/metrics/', '/metrics'],
    ['//metrics', '/metrics'],
    ['/%6detrics', '/metrics'],
    ['/%6Detrics', '/metrics'],
    ['/Readyz', '/readyz'],
    ['/./healthz', '/healthz'],
    ['/auth/../metrics', '/metrics'],
    ['/auth/%2e%2e/metrics', '/metrics'],
    ['/auth/..%2Fmetrics', '/metrics'],
    ['/../../metrics', '/metrics'],
    ['/OPENAPI.JSON', '/openapi.json'],
    ['/openapi.json/', '/openapi.json'],
    ['/docs/swagger-ui.css', '/docs/swagger-ui.css'],
    ['/a%zzb', '/a%zzb'],
    ['/metrics#frag', '/metrics'],
  ])('should read %s as %s', (url, expected) => {
    expect(canonicalPath(url)).toBe(expected);
  });

  it('should decode escapes once only: a doubly encoded path names a different resource', () => {
    expect(canonicalPath('/%256detrics')).toBe('/%6detrics');
    expect(canonicalPath('/x/%252e%252e/metrics')).toBe('/x/%2e%2e/metrics');
  });

  it.each([
    ['/portal/metrics', '/metrics'],
    ['/portal', '/'],
    ['/portal/', '/'],
    ['/Portal//METRICS', '/metrics'],
    ['/%70ortal/metrics', '/metrics'],
    ['/portal%2fmetrics', '/metrics'],
    ['/metrics', '/metrics'],
    ['/portalx/metrics', '/portalx/metrics'],
    ['/portal/../metrics', '/metrics'],
    ['/other/metrics', '/other/metrics'],
  ])('should remove BASE_PATH=/portal from %s, leaving %s', (url, expected) => {
    expect(canonicalPath(url, '/portal')).toBe(expected);
  });

  it('should give one plain form: rooted, single slashes, no dot segment, lower case, no trailing slash', () => {
    fc.assert(
      fc.property(fc.webPath(), (path) => {
        const once = canonicalPath(path);
        expect(once).toMatch(/^\//);
        expect(once).not.toMatch(/\/\/|[A-Z]|\/\.\.?(\/|$)/);
        expect(once === '/' || !once.endsWith('/')).toBe(true);
        // Escapes are decoded once: without any left, the plain form stays as it is.
        if (!once.includes('%')) expect(canonicalPath(once)).toBe(once);
      }),
    );
  });

  it('should read every spelling of a path as that path', () => {
    for (const path of ['/metrics', '/auth/login/password', '/docs/swagger-ui.css'])
      fc.assert(
        fc.property(spellingOf(path), (spelling) => {
          expect({ spelling, path: canonicalPath(spelling) }).toEqual({ spelling, path });
        }),
      );
  });
});

describe('isAtOrUnder', () => {
  it.each([
    ['/portal', '/portal', true],
    ['/portal/x', '/portal', true],
    ['/portalx', '/portal', false],
    ['/', '/portal', false],
    ['/anything', '', true],
  ])('%s under %s: %s', (path, prefix, expected) => {
    expect(isAtOrUnder(path, prefix)).toBe(expected);
  });
});
