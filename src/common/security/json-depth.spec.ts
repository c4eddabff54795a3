import { jsonDepthExceeds } from './json-depth';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('jsonDepthExceeds', () => {
  it('should accept nesting up to the limit and refuse one level more', () => {
    expect(jsonDepthExceeds(bytes('{"a":[1,{"b":2}]}'), 3)).toBe(false);
    expect(jsonDepthExceeds(bytes('{"a":[1,{"b":[2]}]}'), 3)).toBe(true);
  });

  it('should not count brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(bytes(`{"a":"[[[[{{{{\\"[[[["}`), 1)).toBe(false);
  });

  it('should find 5,000 levels without recursion', () => {
    expect(jsonDepthExceeds(bytes(`{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`), 32)).toBe(true);
  });

  it('should count siblings once, not cumulatively', () => {
    expect(jsonDepthExceeds(bytes(`[${'[1],'.repeat(1000)}[1]]`), 2)).toBe(false);
  });
});
