import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { buildSignature, parsePublicKey } from './x-signature.signer';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();

function decrypt(signature: string): string {
  return privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    Buffer.from(signature, 'base64'),
  ).toString('utf8');
}

describe('X-signature', () => {
  it('should encrypt session_token, timestamp and nonce with RSA-OAEP SHA-256 in the documented order', () => {
    const signature = buildSignature('tok123ABC', 1628496895102, parsePublicKey(pem));
    expect(signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(signature, 'base64')).toHaveLength(256);
    expect(decrypt(signature)).toMatch(
      /^session_token=tok123ABC&timestamp=1628496895102&nonce=[0-9a-f]{32}$/,
    );
  });

  it('should produce a different signature and nonce every time for the same token and time', () => {
    const key = parsePublicKey(pem);
    const a = buildSignature('tok', 1, key);
    const b = buildSignature('tok', 1, key);
    expect(a).not.toBe(b);
    expect(decrypt(a).split('nonce=')[1]).not.toBe(decrypt(b).split('nonce=')[1]);
  });

  it.each([
    ['a PEM', pem],
    ['a PEM with literal \\n escapes', pem.replace(/\n/g, '\\n')],
    ['bare base64 SPKI', pem.replace(/-----[A-Z ]+-----|\n/g, '')],
  ])('should accept the public key as %s', (_label, text) => {
    const signature = buildSignature('t', 2, parsePublicKey(text));
    expect(decrypt(signature)).toContain('session_token=t&timestamp=2&nonce=');
  });

  it('should refuse a public key that is not a key', () => {
    expect(() => parsePublicKey('not a key')).toThrow();
  });
});
