import { ZH } from './strings';

/** The page's languages: English (the texts in the code) and Simplified Chinese (strings.ts). */
export type Language = 'en' | 'zh-CN';

const STORAGE_KEY = 'demo-language';

/**
 * The language a person chose with the switch (remembered in localStorage), else the first of the
 * browser's languages the page speaks (`navigator.languages`; every `zh` tag reads Simplified
 * Chinese, as the gateway's own messages do), else English.
 */
export function detectLanguage(): Language {
  const chosen = localStorage.getItem(STORAGE_KEY);
  if (chosen === 'en' || chosen === 'zh-CN') return chosen;
  const tags = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of tags) {
    const t = (tag ?? '').toLowerCase();
    if (t === 'zh' || t.startsWith('zh-')) return 'zh-CN';
    if (t === 'en' || t.startsWith('en-')) return 'en';
  }
  return 'en';
}

export const language: Language = detectLanguage();

/** Remembers the choice and shows the page again in it (every view is built in one language). */
export function switchLanguage(to: Language): void {
  localStorage.setItem(STORAGE_KEY, to);
  location.reload();
}

/**
 * A text of the page in its language, `{name}` filled from `params`. The English text is the key:
 * a text without a translation shows in English (the test of the dictionary finds it first).
 */
export function t(text: string, params?: Record<string, string | number>): string {
  const template = language === 'zh-CN' ? (ZH[text] ?? text) : text;
  return params
    ? template.replace(/\{(\w+)\}/g, (hole: string, name: string) =>
        name in params ? String(params[name]) : hole,
      )
    : template;
}
