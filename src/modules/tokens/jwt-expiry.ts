import { decodeJwt } from 'jose';

/**
 * The `exp` of a JWT in epoch ms, read with jose's `decodeJwt`, WITHOUT verifying the signature.
 *
 * Used for the SDK id_token (and session tokens) the relay hands upstream. Not verifying is a
 * deliberate choice: the token comes straight from OneAccess in the answer to our own call over
 * the server's TLS connection, never from the browser, so nobody but OneAccess can have shaped
 * it; the SDK documents no JWKS, issuer or claims for it (docs/oneaccess.md open question 19);
 * and the value only schedules our refresh: the API that receives the token verifies it. The OIDC
 * id_token of the redirect login IS verified (IdTokenVerifier), as OIDC requires.
 * Undefined when the token is absent or unreadable.
 */
export function jwtExpiryMs(token: string | undefined): number | undefined {
  if (!token) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
