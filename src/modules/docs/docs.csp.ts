import { createHash } from 'node:crypto';

const hash = (text: string) =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * CSP hash sources for the inline styles of an HTML page: the text of each `<style>` element,
 * and each `style="..."` attribute value (Swagger UI's page has both; its scripts are files).
 */
export function inlineStyleHashes(html: string): { elements: string[]; attributes: string[] } {
  const elements = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => hash(m[1]));
  const attributes = [...html.matchAll(/\sstyle="([^"]*)"/gi)].map((m) => hash(m[1]));
  return { elements: [...new Set(elements)], attributes: [...new Set(attributes)] };
}

/**
 * The policy of /docs and /openapi.json: the gateway's `default-src 'none'` opened just enough
 * for Swagger UI. Its scripts (bundle, preset and the init script, which @nestjs/swagger serves
 * as a file) and stylesheet come from this origin; its page's two inline `<style>` blocks and
 * the `style` attribute of its SVG sprite are allowed by hash only, computed from the page
 * served (`html`), so no 'unsafe-inline' and no 'unsafe-eval'. Images: its favicons and the
 * data: icons of its stylesheet. connect-src 'self' is for "Try it out". No framing, no <base>,
 * no form posts anywhere.
 */
export function docsCsp(html = ''): string {
  const { elements, attributes } = inlineStyleHashes(html);
  return [
    "default-src 'none'",
    "script-src 'self'",
    ["style-src 'self'", ...elements].join(' '),
    ...(attributes.length ? [["style-src-attr 'unsafe-hashes'", ...attributes].join(' ')] : []),
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
