import { randomBytes } from 'node:crypto';
import { SessionCipher } from './session-cipher';

describe('SessionCipher', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);

  it('should round-trip and never show the plaintext', () => {
    const cipher = new SessionCipher([k1]);
    const text = cipher.encrypt('{"session_token":"abc123SECRET"}');
    expect(text).toMatch(/^g1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(text).not.toContain('SECRET');
    expect(cipher.decrypt(text)).toBe('{"session_token":"abc123SECRET"}');
  });

  it('should use a fresh IV each time', () => {
    const cipher = new SessionCipher([k1]);
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('should read with an older key after rotation and write with the newest', () => {
    const old = new SessionCipher([k1]).encrypt('before rotation');
    const rotated = new SessionCipher([k2, k1]);
    expect(rotated.decrypt(old)).toBe('before rotation');
    expect(rotated.isStale(old)).toBe(true);
    const fresh = rotated.encrypt('after');
    expect(rotated.isStale(fresh)).toBe(false);
    expect(() => new SessionCipher([k1]).decrypt(fresh)).toThrow();
  });

  it('should refuse an altered ciphertext or a forged key id', () => {
    const cipher = new SessionCipher([k1, k2]);
    const text = cipher.encrypt('payload');
    const parts = text.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    expect(() =>
      cipher.decrypt([parts[0], parts[1], parts[2], body.toString('base64url')].join('.')),
    ).toThrow();
    const otherId = new SessionCipher([k2]).encrypt('x').split('.')[1];
    expect(() => cipher.decrypt([parts[0], otherId, parts[2], parts[3]].join('.'))).toThrow();
    expect(() => cipher.decrypt('plain json')).toThrow();
  });

  it('should bind a ciphertext to its context', () => {
    const cipher = new SessionCipher([k1]);
    const text = cipher.encrypt('credential', 'session-a');
    expect(cipher.decrypt(text, 'session-a')).toBe('credential');
    expect(() => cipher.decrypt(text, 'session-b')).toThrow();
    expect(() => cipher.decrypt(text)).toThrow();
  });

  it('should seal bytes in the binary form, bound to the key and the context', () => {
    const cipher = new SessionCipher([k2, k1]);
    const sealed = cipher.seal(Buffer.from('{"session_token":"abc123SECRET"}'), 'sid-1');
    expect(sealed[0]).toBe(2);
    expect(sealed.length).toBe(1 + 4 + 12 + 32 + 16);
    expect(sealed.toString('latin1')).not.toContain('SECRET');
    expect(cipher.open(sealed, 'sid-1').toString()).toBe('{"session_token":"abc123SECRET"}');
    expect(() => cipher.open(sealed, 'sid-2')).toThrow();
    expect(() => new SessionCipher([k1]).open(sealed, 'sid-1')).toThrow();
    const altered = Buffer.from(sealed);
    altered[20] ^= 1;
    expect(() => cipher.open(altered, 'sid-1')).toThrow();
    expect(() => cipher.open(sealed.subarray(0, 20), 'sid-1')).toThrow();
  });
});
