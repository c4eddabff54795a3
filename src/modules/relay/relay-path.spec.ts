import { climbs, relayTarget, routeNameEnd } from './relay-path';

const target = new URL('http://orders.internal:8080/v1');

describe('relayTarget', () => {
  it.each([
    ['/items', 'http://orders.internal:8080/v1/items'],
    ['/items/42?expand=lines&x=%2F', 'http://orders.internal:8080/v1/items/42?expand=lines&x=%2F'],
    ['', 'http://orders.internal:8080/v1'],
    ['/', 'http://orders.internal:8080/v1/'],
    ['/a%20b', 'http://orders.internal:8080/v1/a%20b'],
  ])('should map %s under the target', (rest, expected) => {
    expect(relayTarget(target, rest)?.href).toBe(expected);
  });

  it.each([
    '/../admin',
    '/items/../../admin',
    '/%2e%2e/admin',
    '/%2E%2E%2fadmin',
    '/items%2F..%2F..%2Fadmin',
    '/..%5cadmin',
    '/\\evil.example',
    '/./items',
    '/x%00y',
    '@evil.example',
    'evil.example',
    '/%E0%A4%A',
    // `;` parameters: Tomcat and Spring read `..;` as `..`.
    '/..;/x',
    '/x;a=b/..;/y',
    '/%2e%2e;/x',
    '/..;jsessionid=1/x',
    '/.;/x',
    // One more percent-decoding than ours.
    '/..%3b/x',
    '/%252e%252e/x',
    '/%252E%252e%252fx',
    '/x/%252e',
    '/%25%32%65%25%32%65/x',
  ])('should refuse %s', (rest) => {
    expect(relayTarget(target, rest)).toBeNull();
  });

  it.each(['/a/b', '/a.b/..c/c..', '/x;a=b/y', '/v1.2/items', '/100%25', '/%25zz', '/...'])(
    'should let %s through: no segment of it reads as . or ..',
    (path) => {
      expect(climbs(path)).toBe(false);
      expect(relayTarget(target, path)).not.toBeNull();
    },
  );

  it('should accept a / in the query string as part of the query', () => {
    expect(relayTarget(target, '?a=/b')?.href).toBe('http://orders.internal:8080/v1?a=/b');
    expect(relayTarget(target, '/x?next=/../y')?.href).toBe(
      'http://orders.internal:8080/v1/x?next=/../y',
    );
  });

  it('should end a route name at the first / or ?', () => {
    expect(routeNameEnd('/api/echo?a=/b', 5)).toBe(9);
    expect(routeNameEnd('/api/echo/x?a=/b', 5)).toBe(9);
    expect(routeNameEnd('/api/echo', 5)).toBe(9);
  });

  it('should keep a double slash as a path on the target, never another host', () => {
    expect(relayTarget(target, '//evil.example/x')?.href).toBe(
      'http://orders.internal:8080/v1//evil.example/x',
    );
  });

  it('should work for a target at the origin root', () => {
    expect(relayTarget(new URL('http://svc:9000'), '/ping')?.href).toBe('http://svc:9000/ping');
    expect(relayTarget(new URL('http://svc:9000/'), '/../x')).toBeNull();
  });
});
