import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ZH } from '../../demo/src/strings';
import { expectText, openDemo, screenshot, useBrowserSuite } from './browser-harness';

jest.setTimeout(60_000);

const DEMO_SRC = join(__dirname, '..', '..', 'demo', 'src');
const HAN = /[\u4e00-\u9fff]/;

/** The demo's sources, the dictionary itself and the language switch's plumbing aside. */
function demoSources(dir = DEMO_SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return demoSources(path);
    return name.endsWith('.ts') && name !== 'strings.ts' ? [path] : [];
  });
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1');
}

/** Every single-quoted string of a source, as the value it stands for. */
function literals(source: string): string[] {
  return [...source.matchAll(/'((?:[^'\\\n]|\\.)*)'/g)].map(
    (m) => JSON.parse(`"${m[1].replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string,
  );
}

/**
 * Looks like words a person reads: two words, or one capitalised word. Endpoints, class lists,
 * link relations and key names are not texts.
 */
function isProse(text: string, source: string, raw: string): boolean {
  if (/^(GET|POST|PUT|PATCH|DELETE|ANY) \//.test(text)) return false;
  if (new RegExp(`(class: [^,}\n]*|rel: |key === )'${escape(raw)}'`).test(source)) return false;
  return /[A-Za-z]{2,} [A-Za-z]{2,}/.test(text) || /^[A-Z][a-z]+$/.test(text);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The page's visible text outside code samples and the switch (which names English in English). */
function proseOf(page: Page): Promise<string> {
  // A string, so the test's TypeScript needs no DOM types: runs in the page.
  return page.evaluate(`(() => {
    const copy = document.body.cloneNode(true);
    for (const el of copy.querySelectorAll('code, pre, [lang="en"], .notice-meta')) el.remove();
    document.body.appendChild(copy);
    const text = copy.innerText;
    copy.remove();
    return text;
  })()`);
}

/**
 * The demo in Chinese and English (issue 21): it follows the browser's languages, a visible switch
 * changes it and is remembered, every text goes through one dictionary (demo/src/strings.ts), and
 * the gateway's own messages come in the page's language.
 */
describe('demo page: Chinese and English', () => {
  const suite = useBrowserSuite();

  it('should have every text of the page in the dictionary, and nothing else there', () => {
    const missing: string[] = [];
    const used = new Set<string>();
    for (const file of demoSources()) {
      const source = withoutComments(readFileSync(file, 'utf8'));
      const keys = [...source.matchAll(/\bt\(\s*'((?:[^'\\\n]|\\.)*)'/g)].map((m) => m[1]);
      for (const raw of [...source.matchAll(/'((?:[^'\\\n]|\\.)*)'/g)].map((m) => m[1])) {
        const text = literals(`'${raw}'`)[0];
        used.add(text);
        const needed = keys.includes(raw) || isProse(text, source, raw);
        if (needed && text !== 'English' && !(text in ZH)) missing.push(`${file}: ${text}`);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(ZH).filter((key) => !used.has(key))).toEqual([]);
    for (const [en, zh] of Object.entries(ZH)) {
      // Placeholders survive translation; every entry with words is written in Chinese.
      const holes = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
      expect({ en, holes: holes(zh) }).toEqual({ en, holes: holes(en) });
      if (/[A-Za-z]{2,} [A-Za-z]{2,}/.test(en) && !/^[A-Za-z]+ \{/.test(en))
        expect({ en, chinese: HAN.test(zh) }).toEqual({ en, chinese: true });
    }
  });

  it('should show Chinese to a Chinese browser, English after the switch, and remember it', async () => {
    const { page } = await openDemo(suite.stack, '/', 'zh-CN');
    expect(await page.evaluate('navigator.languages')).toEqual(expect.arrayContaining(['zh-CN']));
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await expectText(page.locator('header h1'), 'OneAccess BFF 演示');
    await expectText(page.locator('.view h2'), '使用密码登录');
    await expectText(page.getByRole('navigation', { name: '流程' }).locator('h2').first(), '登录');
    await expectText(page.getByTestId('language-switch'), 'English');
    // The gateway's own message, in the page's language: an empty form fails validation.
    await page.getByRole('button', { name: '登录', exact: true }).click();
    const notice = page.getByTestId('notice-error');
    await expectText(notice.locator('.notice-title'), '请检查表单');
    await expectText(notice.locator('p').first(), '请求无效。');
    await expectText(notice.locator('.notice-meta'), /VALIDATION_FAILED/);
    // Nothing left in English but names and code samples.
    const leftover = (await proseOf(page)).match(/[A-Za-z]{3,}(?: [A-Za-z]{3,})+/g) ?? [];
    expect(leftover.filter((words) => !/^(OneAccess|BFF|SMS|API|JSON)\b/.test(words))).toEqual([]);
    await screenshot(page, 'demo-language-zh');

    await page.getByTestId('language-switch').click();
    await expectText(page.locator('header h1'), 'OneAccess BFF demo');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expectText(page.locator('.view h2'), 'Sign in with a password');
    await expectText(page.getByTestId('language-switch'), '中文');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expectText(
      page.getByTestId('notice-error').locator('.notice-title'),
      'Please check the form',
    );
    await expectText(
      page.getByTestId('notice-error').locator('p').first(),
      'The request is not valid.',
    );
    await screenshot(page, 'demo-language-en');

    // Remembered: a new load of the zh browser stays English until switched back.
    await page.reload();
    await expectText(page.locator('header h1'), 'OneAccess BFF demo');
    await page.getByTestId('language-switch').click();
    await expectText(page.locator('header h1'), 'OneAccess BFF 演示');
  });

  it('should show English to an English browser', async () => {
    const { page } = await openDemo(suite.stack, '/', 'en-GB');
    await expectText(page.locator('header h1'), 'OneAccess BFF demo');
    await expectText(page.getByTestId('language-switch'), '中文');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
  });
});
