import { sign } from 'cookie-signature';
import { sessionIdFromCookie } from './session-cookie';

const cookie = (id: string, secret: string) =>
  `__Host-bff=${encodeURIComponent(`s:${sign(id, secret)}`)}`;

describe('sessionIdFromCookie', () => {
  it('should read the id of a cookie signed with any configured secret', () => {
    expect(
      sessionIdFromCookie(`a=b; ${cookie('abc', 'new-secret')}; c=d`, '__Host-bff', ['new-secret']),
    ).toBe('abc');
    expect(
      sessionIdFromCookie(cookie('abc', 'old-secret'), '__Host-bff', ['new-secret', 'old-secret']),
    ).toBe('abc');
  });

  it('should refuse a cookie signed with an unknown secret, an unsigned one, or a lookalike name', () => {
    expect(sessionIdFromCookie(cookie('abc', 'other'), '__Host-bff', ['new-secret'])).toBeNull();
    expect(sessionIdFromCookie('__Host-bff=abc', '__Host-bff', ['new-secret'])).toBeNull();
    expect(
      sessionIdFromCookie(cookie('abc', 's').replace('__Host-bff', 'x__Host-bff'), '__Host-bff', [
        's',
      ]),
    ).toBeNull();
    expect(sessionIdFromCookie('__Host-bff=%E0%A4%A', '__Host-bff', ['s'])).toBeNull();
    expect(sessionIdFromCookie(undefined, '__Host-bff', ['s'])).toBeNull();
  });
});
