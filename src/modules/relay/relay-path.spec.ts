import fc from 'fast-check';
import { climbs, relayPath, relayTarget, routeNameEnd } from './relay-path';

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

describe('relayTarget against every reading of a path (property)', () => {
  /** Percent-decoding as a lenient server does it, written independently of relay-path.ts. */
  const decode = (s: string) =>
    s.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  /** Segments as Tomcat/Spring read them: split at / or \, `;` parameters removed. */
  const segments = (s: string) => s.split(/[/\\]/).map((seg) => seg.split(';')[0]);
  const climbing = (s: string) => segments(s).some((seg) => seg === '.' || seg === '..');

  const wellFormed = (s: string) => {
    try {
      decodeURIComponent(s);
      return true;
    } catch {
      return false;
    }
  };

  it('should refuse exactly the paths that read as climbing as sent, decoded once or twice', () => {
    const piece = fc.constantFrom(
      '.',
      '..',
      '/',
      ';',
      'a',
      '%2e',
      '%2E',
      '%252e',
      '%3b',
      '%25',
      '=',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const path = `/${pieces.join('')}`;
        const climbs = [path, decode(path), decode(decode(path))].some(climbing);
        const accepted = relayTarget(target, path) !== null;
        // Malformed percent-encoding is refused for its own sake.
        expect({ path, accepted }).toEqual({ path, accepted: !climbs && wellFormed(path) });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('relayPath', () => {
  const asPath = (u: URL | null) => (u ? u.pathname + u.search : null);

  it.each([
    '/items/42?expand=lines',
    '',
    '/',
    '?a=1',
    '/a/b/',
    "/o'k?x='y'",
    '/x?',
    '/a%20b?q=%zz',
  ])('should give the request target of relayTarget for %s', (rest) => {
    expect(relayPath(target, rest)).toBe(asPath(relayTarget(target, rest)));
  });

  it('should agree with relayTarget on any path and query, under a base path or none', () => {
    const piece = fc.constantFrom(
      ...[
        '/',
        '.',
        '..',
        ';',
        '%',
        '%2e',
        '%2f',
        '%41',
        '?',
        '#',
        "'",
        '"',
        ' ',
        '\\',
        '|',
        '^',
        '`',
      ],
      ...[
        '{',
        '}',
        '<',
        '>',
        '@',
        ':',
        '=',
        '&',
        '+',
        '~',
        'a',
        'Z',
        '9',
        '\u00e9',
        '\u4e2d',
        '\u0000',
      ],
    );
    const root = new URL('http://svc:9000');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), fc.boolean(), (pieces, underBase) => {
        const rest = pieces.join('');
        const t = underBase ? target : root;
        expect({ rest, path: relayPath(t, rest) }).toEqual({
          rest,
          path: asPath(relayTarget(t, rest)),
        });
      }),
      { numRuns: 5000 },
    );
  });
});
