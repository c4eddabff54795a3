import { relayTarget } from './relay-path';

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
  ])('should refuse %s', (rest) => {
    expect(relayTarget(target, rest)).toBeNull();
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
