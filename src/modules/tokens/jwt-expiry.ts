/**
 * The `exp` of a JWT in epoch ms, read without verifying the signature: the token came straight
 * from OneAccess over TLS, and the value only schedules its refresh. Undefined when unreadable.
 */
export function jwtExpiryMs(token: string | undefined): number | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (
      JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }
    ).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
