import { createHmac, createSign, type KeyObject } from 'node:crypto';

export type JwtClaims = Record<string, string | number | boolean | undefined>;

/** A compact RS256 JWT (id_tokens), with `kid` so it can be checked against the JWKS. */
export function signRs256(claims: JwtClaims, privateKey: KeyObject, kid: string): string {
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
  return `${input}.${signature}`;
}

/**
 * A compact HS256 JWT. state_tokens look like this in Huawei's examples
 * (`eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…`); the simulator still checks them against its own
 * store, the signature only makes them look and behave like the real thing.
 */
export function signHs256(claims: JwtClaims, secret: Buffer): string {
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** The JWKS document of one RS256 public key. */
export function jwks(publicKey: KeyObject, kid: string): { keys: Record<string, unknown>[] } {
  return { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] };
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
