import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for everything the gateway keeps at rest (docs/security.md check 16). Each ciphertext
 * names the key that wrote it, so keys rotate without logging anyone out: the newest key writes,
 * every listed key reads (SESSION_ENCRYPTION_KEYS, newest first).
 *
 * Format: `g1.<key id>.<iv>.<ciphertext+tag>` in base64url; the key id is public (a hash prefix).
 */
export class SessionCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly writeKeyId: string;

  constructor(keys: Buffer[]) {
    if (keys.length === 0 || keys.some((k) => k.length !== 32))
      throw new Error('SessionCipher needs 32-byte keys');
    this.keys = new Map(keys.map((k) => [keyId(k), k]));
    this.writeKeyId = keyId(keys[0]);
  }

  /**
   * @param context what the ciphertext belongs to (e.g. its session id): authenticated, not
   *   stored, so the ciphertext decrypts only for the same context.
   */
  encrypt(plain: string, context = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.writeKeyId)!, iv);
    // The key id is authenticated too, so a ciphertext cannot be re-labelled to another key.
    cipher.setAAD(aad(this.writeKeyId, context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `g1.${this.writeKeyId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  /**
   * @throws Error when the text was not written by one of our keys or was altered.
   */
  decrypt(text: string, context = ''): string {
    const [format, kid, ivText, bodyText] = text.split('.');
    const key = kid === undefined ? undefined : this.keys.get(kid);
    if (format !== 'g1' || !key || !ivText || !bodyText)
      throw new Error('not a ciphertext of a current key');
    const body = Buffer.from(bodyText, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
    decipher.setAAD(aad(kid, context));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - 16)),
      decipher.final(),
    ]).toString('utf8');
  }

  /**
   * The binary form, for stores that keep bytes (the credential record): one format byte, the
   * 4-byte key id, the 12-byte IV, then ciphertext and tag; a third smaller than the text form.
   * Same key, same authenticated data (key id and context) as {@link encrypt}.
   */
  seal(plain: Buffer, context = ''): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.writeKeyId)!, iv);
    cipher.setAAD(aad(this.writeKeyId, context));
    return Buffer.concat([
      SEALED,
      Buffer.from(this.writeKeyId, 'hex'),
      iv,
      cipher.update(plain),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
  }

  /** @throws Error when the bytes were not sealed by one of our keys or were altered. */
  open(sealed: Buffer, context = ''): Buffer {
    const kid = sealed.toString('hex', 1, 5);
    const key = this.keys.get(kid);
    if (sealed[0] !== SEALED[0] || !key || sealed.length < 1 + 4 + 12 + 16)
      throw new Error('not sealed by a current key');
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(5, 17));
    decipher.setAAD(aad(kid, context));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([
      decipher.update(sealed.subarray(17, sealed.length - 16)),
      decipher.final(),
    ]);
  }

  /** True when the text was written with an older key and should be rewritten with the newest. */
  isStale(text: string): boolean {
    return text.split('.')[1] !== this.writeKeyId;
  }
}

/** First byte of the binary form; never the first byte of the text form ('g'). */
const SEALED = Buffer.from([0x02]);

function aad(kid: string, context: string): Buffer {
  return Buffer.from(context ? `${kid}\u0000${context}` : kid);
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}
