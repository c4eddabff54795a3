import { Answer, useSecurityStack, surveyAnswers } from './helpers';

/**
 * docs/security.md 43 (and the issue's header list): every response forbids framing
 * (CSP `frame-ancestors 'none'`), sends `Referrer-Policy: no-referrer` and no X-Powered-By; the
 * JSON routes' policy is `default-src 'none'`, the demo page has a strict policy of its own
 * (its scripts and styles from the origin only, nothing inline). The demo page running under
 * that policy without a violation is proven in test/browser/demo-page.browser-spec.ts.
 */
describe('43: no framing, no referrer, a strict CSP', () => {
  const suite = useSecurityStack();
  let answers: Answer[];

  beforeAll(async () => {
    answers = await surveyAnswers(suite.stack);
  });

  it('should forbid framing, send no referrer and no X-Powered-By on every response', () => {
    const bad = answers.filter(
      (a) =>
        !/frame-ancestors 'none'/.test(String(a.headers['content-security-policy'])) ||
        a.headers['referrer-policy'] !== 'no-referrer' ||
        a.headers['x-powered-by'] !== undefined,
    );
    expect(bad.map((a) => a.what)).toEqual([]);
  });

  it("should give the JSON routes default-src 'none' and the demo page a strict policy of its own", () => {
    const page = answers.filter((a) => /demo/.test(a.what));
    expect(page.map((a) => a.status)).toEqual([200, 200]);
    for (const a of page) {
      const csp = String(a.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    }
    for (const a of answers.filter((a) => !/demo/.test(a.what)))
      expect(String(a.headers['content-security-policy'])).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
  });
});
