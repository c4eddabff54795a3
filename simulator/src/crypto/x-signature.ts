import {
  constants,
  createHash,
  privateDecrypt,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';

/** The three fields of a decrypted X-signature (§3.1). */
export interface SignaturePayload {
  sessionToken: string;
  timestamp: number;
  nonce: string;
}

// Exactly "session_token=…&timestamp=…&nonce=…", nothing before, between or after.
const PLAINTEXT = /^session_token=([^&=]+)&timestamp=(\d{1,16})&nonce=([^&=]+)$/;

/**
 * Decrypts and parses an `X-signature` header: Base64 of RSA-OAEP (SHA-256 digest) encryption of
 * `session_token=…&timestamp=…&nonce=…` under the application's public key.
 *
 * Node's `privateDecrypt` always uses the OAEP digest for MGF1 as well (BouncyCastle's reading of
 * `OAEPWithSHA-256AndMGF1Padding`). SunJCE's reading (MGF1 with SHA-1) cannot be expressed with
 * it, so that variant is decoded by hand from the raw RSA block (RFC 8017 §7.1.2).
 *
 * @returns the payload, or undefined when the header is not a valid signature of that form.
 */
export function decryptXSignature(
  header: string,
  privateKey: KeyObject,
  mgf1Hash: 'sha256' | 'sha1',
): SignaturePayload | undefined {
  const cipher = Buffer.from(header.trim(), 'base64');
  const modulusBytes = (privateKey.asymmetricKeyDetails?.modulusLength ?? 2048) / 8;
  if (cipher.length !== modulusBytes) return undefined;
  let plain: Buffer | undefined;
  try {
    plain =
      mgf1Hash === 'sha256'
        ? privateDecrypt(
            { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
            cipher,
          )
        : oaepDecode(
            privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, cipher),
            'sha256',
            'sha1',
          );
  } catch {
    return undefined;
  }
  const match = plain && PLAINTEXT.exec(plain.toString('utf8'));
  if (!match) return undefined;
  return { sessionToken: match[1], timestamp: Number(match[2]), nonce: match[3] };
}

/** EME-OAEP decoding with an empty label (the Java default); undefined on any mismatch. */
export function oaepDecode(
  block: Buffer,
  labelHash: 'sha256' | 'sha1',
  mgfHash: 'sha256' | 'sha1',
): Buffer | undefined {
  const hLen = createHash(labelHash).digest().length;
  const k = block.length;
  if (k < 2 * hLen + 2 || block[0] !== 0) return undefined;
  const maskedSeed = block.subarray(1, 1 + hLen);
  const maskedDb = block.subarray(1 + hLen);
  const seed = xor(maskedSeed, mgf1(maskedDb, hLen, mgfHash));
  const db = xor(maskedDb, mgf1(seed, k - hLen - 1, mgfHash));
  const expectedLabel = createHash(labelHash).digest();
  if (!timingSafeEqual(db.subarray(0, hLen), expectedLabel)) return undefined;
  let i = hLen;
  while (i < db.length && db[i] === 0) i++;
  if (i >= db.length || db[i] !== 1) return undefined;
  return db.subarray(i + 1);
}

/** MGF1 (RFC 8017 §B.2.1). */
export function mgf1(seed: Buffer, length: number, hash: 'sha256' | 'sha1'): Buffer {
  const blocks: Buffer[] = [];
  let produced = 0;
  for (let counter = 0; produced < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    blocks.push(block);
    produced += block.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}
