/**
 * A post-login target is accepted only as a same-origin relative path (security.md check 38):
 * it starts with one `/`, is not `//` or `/\` (protocol-relative to another host), has no
 * backslash, control character or scheme, and stays so once percent-decoded (`/%2F%2Fevil`).
 * Anything else becomes `fallback`.
 */
export function safeReturnTo(value: string | undefined, fallback: string): string {
  if (!value || value.length > 2048) return fallback;
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
