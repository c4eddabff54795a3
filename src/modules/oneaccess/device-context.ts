import { randomBytes } from 'node:crypto';
import { negotiateLanguage } from '../../common/errors/language';

/**
 * Who is calling, as OneAccess wants to know on every SDK call (docs/oneaccess.md section 2.2)
 * and in the SSO bodies (section 6). Built per request from the browser's request and session.
 */
export interface DeviceContext {
  /** Client address as resolved through TRUST_PROXY. */
  ip: string;
  /** The browser's User-Agent. */
  agent: string;
  /** Derived from the User-Agent, e.g. "Windows 10", "Android 14", "iOS 17", "macOS 14", "Linux". */
  osVersion: string;
  /** Stable for the session's lifetime: the SSO calls must repeat the login's value. */
  fingerprint: string;
  lang: 'zh' | 'en';
}

const FINGERPRINT = /^[A-Za-z0-9_-]{8,128}$/;

/** Returns the browser's fingerprint header when well-formed, else a fresh random one. */
export function chooseFingerprint(header: string | undefined): string {
  return header !== undefined && FINGERPRINT.test(header)
    ? header
    : randomBytes(16).toString('hex');
}

/**
 * `zh` when Accept-Language prefers Chinese, else `en` (contract section 4): the negotiation of
 * the gateway's own messages, so OneAccess's messages and the gateway's come in one language.
 */
export function languageOf(acceptLanguage: string | undefined): 'zh' | 'en' {
  return negotiateLanguage(acceptLanguage) === 'zh-CN' ? 'zh' : 'en';
}

/** macOS 10.15+ browsers freeze the reported version; report the major that the UA states. */
export function osVersionOf(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  let m: RegExpMatchArray | null;
  if ((m = ua.match(/Windows NT (\d+\.\d+)/))) {
    const nt: Record<string, string> = { '10.0': '10', '6.3': '8.1', '6.2': '8', '6.1': '7' };
    return `Windows ${nt[m[1]] ?? m[1]}`;
  }
  if ((m = ua.match(/Android (\d+)/))) return `Android ${m[1]}`;
  if ((m = ua.match(/(?:iPhone|iPad|iPod).*? OS (\d+)/))) return `iOS ${m[1]}`;
  if ((m = ua.match(/Mac OS X (\d+)[._](\d+)/)))
    return `macOS ${m[1] === '10' ? `10.${m[2]}` : m[1]}`;
  if (/CrOS/.test(ua)) return 'ChromeOS';
  if (/Linux/.test(ua)) return 'Linux';
  return 'Unknown';
}

/** What the request contributes; the fingerprint comes from the session. */
export interface DeviceRequestFacts {
  ip: string | undefined;
  userAgent: string | undefined;
  acceptLanguage: string | undefined;
}

export function buildDeviceContext(facts: DeviceRequestFacts, fingerprint: string): DeviceContext {
  return {
    ip: facts.ip ?? '',
    // OneAccess requires X-agent; a client that sends no User-Agent still gets a value.
    agent: facts.userAgent?.slice(0, 512) || 'unknown',
    osVersion: osVersionOf(facts.userAgent),
    fingerprint,
    lang: languageOf(facts.acceptLanguage),
  };
}
