import { sign } from 'cookie-signature';
import crypto from 'node:crypto';
import { SessionCookieReader } from './session-cookie';

const cookie = (id: string, secret: string) =>
  `__Host-bff=${encodeURIComponent(`s:${sign(id, secret)}`)}`;

const reader = (secrets: string[]) =>
  new SessionCookieReader({ cookieName: '__Host-bff', secrets } as never);

describe('SessionCookieReader: reading and verifying', () => {
  it('should read the id of a cookie signed with any configured secret', () => {
    expect(reader(['new-secret']).sessionId(`a=b; ${cookie('abc', 'new-secret')}; c=d`)).toBe(
      'abc',
    );
    expect(reader(['new-secret', 'old-secret']).sessionId(cookie('abc', 'old-secret'))).toBe('abc');
  });

  it('should refuse a cookie signed with an unknown secret, an unsigned one, or a lookalike name', () => {
    expect(reader(['new-secret']).sessionId(cookie('abc', 'other'))).toBeNull();
    expect(reader(['new-secret']).sessionId('__Host-bff=abc')).toBeNull();
    expect(
      reader(['s']).sessionId(cookie('abc', 's').replace('__Host-bff', 'x__Host-bff')),
    ).toBeNull();
    expect(reader(['s']).sessionId('__Host-bff=%E0%A4%A')).toBeNull();
    expect(reader(['s']).sessionId(undefined)).toBeNull();
  });
});

describe('SessionCookieReader: remembering', () => {
  it('should read the id of a genuine cookie, again and again, and refuse a forged one', () => {
    const r = reader(['new-secret', 'old-secret']);
    for (let i = 0; i < 3; i++) {
      expect(r.sessionId(`a=b; ${cookie('abc', 'new-secret')}`)).toBe('abc');
      expect(r.sessionId(cookie('def', 'old-secret'))).toBe('def');
      expect(r.sessionId(cookie('abc', 'forged'))).toBeNull();
      expect(r.sessionId(`${cookie('abc', 'new-secret')}x`)).toBeNull();
    }
    expect(r.sessionId(undefined)).toBeNull();
    expect(r.sessionId('__Host-bff=%E0%A4%A')).toBeNull();
  });

  it('should verify each cookie once: a remembered one costs no HMAC', () => {
    const r = reader(['s']);
    const genuine = cookie('abc', 's');
    const forged = cookie('abc', 'x');
    const hmacs = jest.spyOn(crypto, 'createHmac');
    try {
      expect(r.sessionId(genuine)).toBe('abc');
      expect(r.sessionId(genuine)).toBe('abc');
      expect(hmacs).toHaveBeenCalledTimes(1);
      // Forged cookies are not remembered: each one is checked.
      expect(r.sessionId(forged)).toBeNull();
      expect(r.sessionId(forged)).toBeNull();
      expect(hmacs).toHaveBeenCalledTimes(3);
    } finally {
      hmacs.mockRestore();
    }
  });
});
