/// <reference types="jest" />
import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { DeviceContext } from '../../src/modules/oneaccess/device-context';
import { OneAccessEndpoint } from '../../src/modules/oneaccess/oneaccess-endpoint';
import { OneAccessTransport } from '../../src/modules/oneaccess/oneaccess-transport';
import { XSignatureSigner } from '../../src/modules/oneaccess/x-signature.signer';
import {
  MOCK_ENDPOINT,
  MOCK_ORIGIN,
  OneAccessMockFixture,
  useOneAccessMock,
} from './oneaccess-mock';

/**
 * What the three SDK clients' unit tests (`sdk-*.client.spec.ts`) share: one endpoint and device,
 * the headers every SDK call must carry, the signing material, and a fresh {@link OneAccessMock}
 * per test.
 */
export const ORIGIN = MOCK_ORIGIN;
export const ENDPOINT = MOCK_ENDPOINT;
export const DEVICE: DeviceContext = {
  ip: '203.0.113.7',
  agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Test',
  osVersion: 'Windows 10',
  fingerprint: 'fp_0123456789',
  lang: 'zh',
};
/** Every SDK call's headers (docs/oneaccess.md 2.2), as they must leave the gateway. */
export const SDK_HEADERS = {
  accept: 'application/json',
  'X-client-id': 'client-1',
  'X-operating-sys-version': 'Windows 10',
  'X-device-fingerprint': 'fp_0123456789',
  'X-device-ip': '203.0.113.7',
  'X-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Test',
  'X-L': 'zh',
  'X-tenant-id': 'tenant-9',
};
export const JSON_TYPE = { 'content-type': 'application/json;charset=utf8' };
export const SDK = '/api/v2/sdk';
/** A complete password login's answer. */
export const SUCCESS = {
  status: 'SUCCESS',
  session_token: 'sess-1',
  id_token: 'eyJ.id.tok',
  expire: 604800,
};

// Generated once per test file, lazily: RSA-2048 takes a noticeable moment and only the signed
// calls need it.
let keyPair: ReturnType<typeof rsaKeyPair> | undefined;
function rsaKeyPair() {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}
function keys() {
  keyPair ??= rsaKeyPair();
  return keyPair;
}

/** The plaintext of an X-signature made with the mock's public key. */
export function decryptSignature(signature: string): string {
  return privateDecrypt(
    { key: keys().privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    Buffer.from(signature, 'base64'),
  ).toString('utf8');
}

type SdkClientClass<T> = new (
  transport: OneAccessTransport,
  endpoint: OneAccessEndpoint,
  signer: XSignatureSigner,
) => T;

export interface SdkMockFixture extends OneAccessMockFixture {
  /** Answers the signer's public-key and server-date reads once each. */
  serveSigningMaterial(): void;
  /** An SDK client of class `Client` talking to this test's mock. */
  build<T>(Client: SdkClientClass<T>, endpoint?: OneAccessEndpoint): T;
}

/** Registers the hooks that give each test a fresh mock, and returns the fixture they fill. */
export function useSdkMock(): SdkMockFixture {
  const fx = useOneAccessMock(ORIGIN) as SdkMockFixture;
  fx.serveSigningMaterial = () => {
    const pem = keys().publicKey.export({ type: 'spki', format: 'pem' }).toString();
    fx.answer('GET', `${SDK}/public-key`, 200, { public_key: pem });
    fx.answer('GET', `${SDK}/server-date`, 200, { timestamp: String(Date.now()) });
  };
  fx.build = (Client, endpoint = ENDPOINT) => {
    const transport = new OneAccessTransport(fx.mock.agent, endpoint);
    return new Client(transport, endpoint, new XSignatureSigner(transport, endpoint));
  };
  return fx;
}
