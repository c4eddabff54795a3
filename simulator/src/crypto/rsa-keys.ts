import { createHash, generateKeyPair, type KeyObject } from 'node:crypto';

/** The simulator's two RSA-2048 key pairs. */
export interface SimulatorKeys {
  /** The application's X-signature key: public half served at #2, private half decrypts. */
  signature: { publicKey: KeyObject; privateKey: KeyObject };
  /** Signs SDK and OIDC id_tokens (RS256); published at the JWKS endpoint. */
  idToken: { publicKey: KeyObject; privateKey: KeyObject; kid: string };
}

// Generating RSA-2048 takes a noticeable fraction of a second on small machines; simulators
// started in the same process (tests, restarts) share the keys of a client id.
const cache = new Map<string, Promise<SimulatorKeys>>();

/** Keys for `clientId`, generated once per process. */
export function keysFor(clientId: string): Promise<SimulatorKeys> {
  let keys = cache.get(clientId);
  if (!keys) {
    keys = generateKeys();
    cache.set(clientId, keys);
    keys.catch(() => cache.delete(clientId));
  }
  return keys;
}

async function generateKeys(): Promise<SimulatorKeys> {
  const [signature, idToken] = await Promise.all([rsaPair(), newIdTokenKey()]);
  return { signature, idToken };
}

/** A fresh id_token signing pair; its `kid` is a hash of the public key. */
export async function newIdTokenKey(): Promise<SimulatorKeys['idToken']> {
  const pair = await rsaPair();
  const der = pair.publicKey.export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(der).digest('base64url').slice(0, 16);
  return { ...pair, kid };
}

function rsaPair(): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolve({ publicKey, privateKey }),
    );
  });
}

/**
 * The public key as `GET /api/v2/sdk/public-key` serves it. The format is undocumented (§3.2);
 * Huawei's Java sample strips the PEM armour and literal `\n` pairs, so all three are plausible.
 */
export function formatPublicKey(key: KeyObject, format: 'pem' | 'base64' | 'pem-escaped'): string {
  const pem = key.export({ type: 'spki', format: 'pem' }).toString();
  if (format === 'pem') return pem;
  if (format === 'pem-escaped') return pem.trimEnd().replace(/\n/g, '\\n');
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}
