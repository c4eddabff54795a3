import { Inject, Injectable } from '@nestjs/common';
import { constants, createPublicKey, KeyObject, publicEncrypt, randomBytes } from 'node:crypto';
import { UpstreamError } from '../../common/errors/app-error';
import { DeviceContext } from './device-context';
import { ONEACCESS_ENDPOINT, OneAccessEndpoint } from './oneaccess-endpoint';
import { SIGNATURE_INVALID } from './oneaccess-errors';
import { OneAccessTransport } from './oneaccess-transport';
import { sdkHeaders } from './sdk-headers';

/** How long a fetched public key and a measured clock offset are trusted before a re-read. */
const KEY_TTL_MS = 60 * 60_000;
const CLOCK_TTL_MS = 10 * 60_000;

/**
 * Converts OneAccess's `public_key` (PEM, PEM with literal "\n" escapes, or bare base64 SPKI:
 * the docs do not say which, section 3.2) into a key object.
 */
export function parsePublicKey(text: string): KeyObject {
  const body = text
    .replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '')
    .replace(/\\n/g, '')
    .replace(/\s+/g, '');
  return createPublicKey({ key: Buffer.from(body, 'base64'), format: 'der', type: 'spki' });
}

/**
 * Builds one X-signature value: RSA-OAEP (SHA-256 digest and MGF1) over
 * `session_token=…&timestamp=…&nonce=…`, Base64 (docs/oneaccess.md section 3). OAEP is randomised
 * and the nonce is fresh, so two signatures of the same token never repeat.
 *
 * The nonce is a random hex string: the docs allow "a random string generated for each signature"
 * and a timestamp-only nonce would collide for concurrent calls in the same millisecond.
 */
export function buildSignature(sessionToken: string, timestampMs: number, key: KeyObject): string {
  const nonce = randomBytes(16).toString('hex');
  const plain = `session_token=${sessionToken}&timestamp=${timestampMs}&nonce=${nonce}`;
  return publicEncrypt(
    { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    Buffer.from(plain, 'utf8'),
  ).toString('base64');
}

/**
 * Signs the calls that need X-signature. Keeps the application's public key and the offset
 * between our clock and OneAccess's (the timestamp must be "the current server time"), renews
 * both periodically, and after a `PARAM.0030` refusal re-reads them and tries exactly once more.
 */
@Injectable()
export class XSignatureSigner {
  private key?: { value: KeyObject; until: number };
  private clock?: { offsetMs: number; until: number };
  private inflight?: Promise<void>;

  constructor(
    private readonly transport: OneAccessTransport,
    @Inject(ONEACCESS_ENDPOINT) private readonly endpoint: OneAccessEndpoint,
  ) {}

  /**
   * Runs `call` with a fresh signature for `sessionToken`; on `PARAM.0030` renews the key and
   * server time and runs it once more with a new signature.
   * @throws UpstreamError from `call` or from fetching the key and time.
   */
  async signed<T>(
    sessionToken: string,
    device: DeviceContext,
    call: (signature: string) => Promise<T>,
  ): Promise<T> {
    try {
      return await call(await this.sign(sessionToken, device));
    } catch (err) {
      if (!(err instanceof UpstreamError) || err.upstreamCode !== SIGNATURE_INVALID) throw err;
      this.key = undefined;
      this.clock = undefined;
      return call(await this.sign(sessionToken, device));
    }
  }

  /** One signature, using cached key and clock offset when still fresh. */
  async sign(sessionToken: string, device: DeviceContext): Promise<string> {
    const now = Date.now();
    if (!this.key || !this.clock || this.key.until <= now || this.clock.until <= now) {
      // Concurrent first calls share one fetch instead of each asking OneAccess.
      this.inflight ??= this.renew(device).finally(() => (this.inflight = undefined));
      await this.inflight;
    }
    return buildSignature(sessionToken, Date.now() + this.clock!.offsetMs, this.key!.value);
  }

  private async renew(device: DeviceContext): Promise<void> {
    const headers = sdkHeaders(this.endpoint, device);
    const sent = Date.now();
    const [keyRes, dateRes] = await Promise.all([
      this.transport.call<{ public_key?: unknown }>({
        method: 'GET',
        path: '/api/v2/sdk/public-key',
        headers,
        expect: 'json',
      }),
      this.transport.call<{ timestamp?: unknown }>({
        method: 'GET',
        path: '/api/v2/sdk/server-date',
        headers,
        expect: 'json',
      }),
    ]);
    const received = Date.now();
    const serverTs = Number(dateRes.timestamp);
    if (typeof keyRes.public_key !== 'string' || !Number.isFinite(serverTs)) {
      throw new UpstreamError('UPSTREAM_BAD_RESPONSE', 'oneaccess');
    }
    let key: KeyObject;
    try {
      key = parsePublicKey(keyRes.public_key);
    } catch (err) {
      throw new UpstreamError('UPSTREAM_BAD_RESPONSE', 'oneaccess', undefined, { cause: err });
    }
    // The server read its clock somewhere between send and receive: assume the middle.
    const offsetMs = serverTs - Math.round((sent + received) / 2);
    this.key = { value: key, until: received + KEY_TTL_MS };
    this.clock = { offsetMs, until: received + CLOCK_TTL_MS };
  }
}
