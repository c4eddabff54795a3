/** `12345678901` → `123****8901`: the first 3 and last 4 digits stay (docs/api.md section 3). */
export function maskMobile(mobile: string | undefined | null): string {
  if (!mobile) return '';
  if (mobile.length < 8) return '*'.repeat(mobile.length);
  return `${mobile.slice(0, 3)}${'*'.repeat(mobile.length - 7)}${mobile.slice(-4)}`;
}

/** `zhangsan@example.com` → `z***@example.com`: the first character of the local part stays. */
export function maskEmail(email: string | undefined | null): string {
  if (!email) return '';
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
