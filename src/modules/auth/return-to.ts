import { canonicalPath, isAtOrUnder } from '../../common/http/canonical-path';

/** Longest post-login target honoured; a longer one lands on the home page. */
export const MAX_RETURN_TO = 512;

/**
 * A post-login target is accepted only as a same-origin relative path (docs/security.md check 38):
 * it starts with one `/`, is not `//` or `/\` (protocol-relative to another host), has no
 * backslash, control character or scheme, and stays so once percent-decoded (`/%2F%2Fevil`).
 * Anything else, or anything longer than {@link MAX_RETURN_TO}, becomes `fallback`.
 */
export function safeReturnTo(value: string | undefined, fallback: string): string {
  if (!value || value.length > MAX_RETURN_TO) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  for (const v of [value, decoded]) {
    if (!v.startsWith('/') || v.startsWith('//') || v.includes('\\')) return fallback;

    if (/[\u0000-\u001f\u007f]/.test(v)) return fallback;
  }
  return value;
}

/**
 * {@link safeReturnTo}, then confined to the gateway's mount point: behind a proxy that mounts
 * it under `basePath`, a target outside the prefix (another app on the host, or a path the SPA
 * gave without its prefix) lands on `<basePath>/`. The target must be under the prefix as sent,
 * as the browser will resolve it (`/portal/../admin`, `/portal/%2e%2e/admin`), and as a proxy
 * will once it has decoded it (`/portal/..%2Fadmin`, which nginx serves as `/admin`): its
 * canonical path, lower-cased as the proxy may match it. Targets are never rewritten, only
 * accepted or replaced by the home page.
 */
export function confinedReturnTo(value: string | undefined, basePath: string): string {
  const home = `${basePath}/`;
  const target = safeReturnTo(value, home);
  if (!basePath || target === home) return target;
  const resolved = new URL(target, 'http://gateway.invalid').pathname;
  const raw = target.split(/[?#]/, 1)[0];
  return isAtOrUnder(raw, basePath) &&
    isAtOrUnder(resolved, basePath) &&
    isAtOrUnder(canonicalPath(target), canonicalPath(basePath))
    ? target
    : home;
}
