import { toSeconds } from './oneaccess-answer';

describe('toSeconds (expire / expires_in)', () => {
  it.each([
    [604800, 604800],
    ['604800', 604800],
    [' 1719 ', 1719],
    ['0.5', 0.5],
    [0, 0],
  ])('should read %p as %p seconds', (raw, seconds) => {
    expect(toSeconds(raw, 'expire')).toBe(seconds);
  });

  it.each([undefined, null])('should treat %p as absent', (raw) => {
    expect(toSeconds(raw, 'expire')).toBeUndefined();
  });

  it.each(['', 'abc', '604800s', '1e3', '0x10', '-5', -5, Number.NaN, Infinity, true, {}, []])(
    'should refuse %p as UPSTREAM_BAD_RESPONSE instead of passing NaN on',
    (raw) => {
      expect(() => toSeconds(raw, 'expire')).toThrow(
        expect.objectContaining({ code: 'UPSTREAM_BAD_RESPONSE', status: 502 }),
      );
    },
  );
});
