import { sign } from 'cookie-signature';

/** A session cookie value as express-session writes it: `s:<id>.<hmac>`, URL-encoded. */
export function signedSessionCookie(name: string, sessionId: string, secret: string): string {
  return `${name}=${encodeURIComponent(`s:${sign(sessionId, secret)}`)}`;
}

/** The value of one cookie from a response's Set-Cookie headers, as a `name=value` pair. */
export function cookieFrom(
  setCookie: string[] | string | undefined,
  name: string,
): string | undefined {
  const all = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const line = all.find((c) => c.startsWith(`${name}=`));
  return line?.split(';')[0];
}
