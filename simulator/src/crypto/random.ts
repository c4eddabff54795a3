import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string of letters and digits (session_token, sso_ticket, ids). */
export function randomAlnum(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // Rejection sampling keeps the alphabet uniform (248 = 4 * 62).
      if (byte < 248 && out.length < length) out += ALNUM[byte % 62];
    }
  }
  return out;
}

/** A random string of `length` decimal digits (SMS codes). */
export function randomDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

/** A UUID like OneAccess's tenant and OAuth access tokens (`334963fc-1e4a-…`). */
export function randomUuid(): string {
  return randomUUID();
}

/** 32 lower-case hex characters: AJ-Captcha's token (a UUID without dashes). */
export function randomHex32(): string {
  return randomBytes(16).toString('hex');
}

/** A user id in OneAccess format: `yyyyMMddHHmmssSSS-XXXX-XXXXXXXXX`. */
export function newUserId(now = new Date()): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const stamp =
    `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}${pad(now.getMilliseconds(), 3)}`;
  const hex = randomBytes(7).toString('hex').toUpperCase();
  return `${stamp}-${hex.slice(0, 4)}-${hex.slice(4, 13)}`;
}

/** `yyyy-MM-dd HH:mm:ss.SSS`, the timestamp format seen in OneAccess examples. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}
