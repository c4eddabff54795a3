import fc from 'fast-check';

const hex = (c: string) => c.charCodeAt(0).toString(16).padStart(2, '0');

/**
 * Any spelling of `path` (a plain lower-case path) that Express, which routes case-insensitively
 * and ignores a trailing slash, or a proxy in front, which decodes escapes, merges slashes and
 * resolves dot segments, could serve as `path`: each character as it is, upper-cased or
 * percent-encoded (either hex case); each `/` after the first doubled, encoded, or with `.`,
 * `%2e` or `<x>/..` segments next to it; a trailing slash, query or fragment.
 */
export function spellingOf(path: string): fc.Arbitrary<string> {
  const char = (c: string) =>
    fc.constantFrom(c, c.toUpperCase(), `%${hex(c)}`, `%${hex(c).toUpperCase()}`);
  const slash = fc.constantFrom(
    '/',
    '//',
    '/./',
    '/%2e/',
    '/%2E/',
    '%2f',
    '%2F',
    '/x/../',
    '/x/%2e%2e/',
    '/x/..%2f',
  );
  const parts = [...path.slice(1)].map((c) => (c === '/' ? slash : char(c)));
  return fc
    .tuple(
      fc.constantFrom('/', '//', '/./', '/x/../', '/%2e/'),
      fc.tuple(...parts),
      fc.constantFrom('', '/', '//', '/.', '?x=1', '/?x=1', '#top'),
    )
    .map(([lead, middle, tail]) => `${lead}${middle.join('')}${tail}`);
}
