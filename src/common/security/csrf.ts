import type { IncomingHttpHeaders } from 'node:http';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a request must be refused as cross-site request forgery, or null when it may pass
 * (docs/api.md section 2, docs/security.md checks 18 and 19). Safe methods change no state and pass,
 * which lets the OAuth callback arrive as a cross-site navigation.
 */
export function csrfViolation(
  method: string,
  headers: IncomingHttpHeaders,
  publicOrigin: string,
): string | null {
  if (SAFE_METHODS.has(method)) return null;
  if (headers['x-csrf'] !== '1') return 'missing X-CSRF header';
  const site = headers['sec-fetch-site'];
  // same-site is untrusted too: a sibling subdomain is another application (docs/security.md 19).
  if (site === 'cross-site' || site === 'same-site') return `Sec-Fetch-Site ${site}`;
  const origin = headers.origin;
  if (origin !== undefined && origin !== publicOrigin) return 'foreign Origin';
  return null;
}
