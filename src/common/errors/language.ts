import type { Language } from './messages';

/** Beyond this many entries an Accept-Language header is not a browser's; the rest is ignored. */
const MAX_ENTRIES = 32;
const Q_VALUE = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/i;

/**
 * The language of the gateway's own messages for a request's `Accept-Language` (RFC 9110 12.5.4):
 * of the tags the gateway speaks, the one with the highest q-value, the first listed on a tie;
 * English when none is acceptable. Every Chinese tag (`zh`, `zh-CN`, `zh-Hans`, `zh-TW`,
 * `zh-Hant`, `zh-HK`...) gets Simplified Chinese, the only Chinese written: a reader of Traditional
 * reads it far more easily than English, and OneAccess's own `X-L` knows only `zh` too. `q=0`
 * means "not this one"; `*` names no language, so it changes nothing; a malformed q-value counts
 * as absent (q=1), as browsers never send one.
 */
export function negotiateLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'en';
  let best: Language = 'en';
  let bestQ = 0;
  const entries = acceptLanguage.split(',', MAX_ENTRIES);
  for (const entry of entries) {
    const [rawTag, ...params] = entry.split(';');
    const tag = rawTag.trim().toLowerCase();
    const language: Language | null =
      tag === 'zh' || tag.startsWith('zh-')
        ? 'zh-CN'
        : tag === 'en' || tag.startsWith('en-')
          ? 'en'
          : null;
    if (language === null) continue;
    let q = 1;
    for (const param of params) {
      const p = param.trim();
      if (Q_VALUE.test(p)) q = Number(p.slice(2));
    }
    if (q > bestQ) {
      best = language;
      bestQ = q;
    }
  }
  return best;
}
