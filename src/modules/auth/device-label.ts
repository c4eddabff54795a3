import { osVersionOf } from '../oneaccess/device-context';

/**
 * Browser families by the token their User-Agent carries, most specific first: Edge, Opera,
 * Samsung Internet and the in-app browsers all also claim "Chrome" or "Safari".
 */
const BROWSERS: Array<[RegExp, string]> = [
  [/MicroMessenger\//, 'WeChat'],
  [/AlipayClient\//, 'Alipay'],
  [/Edg(?:e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/SamsungBrowser\//, 'Samsung Internet'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\/|Chromium\//, 'Chrome'],
  [/Version\/[\d.]+.*Safari\//, 'Safari'],
];

/** The browser family a User-Agent names, or null. */
export function browserOf(userAgent: string): string | null {
  for (const [pattern, name] of BROWSERS) if (pattern.test(userAgent)) return name;
  return null;
}

/**
 * A short text a person recognises their device by in "Your sessions" (docs/api.md section 4),
 * e.g. `Chrome on Windows 10`; the raw User-Agent is never shown to the user.
 */
export function deviceLabel(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser = browserOf(ua);
  const os = osVersionOf(ua);
  if (browser && os !== 'Unknown') return `${browser} on ${os}`;
  if (browser) return browser;
  if (os !== 'Unknown') return `Browser on ${os}`;
  return 'Unknown device';
}
