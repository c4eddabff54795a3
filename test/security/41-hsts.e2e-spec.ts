import { Answer, useSecurityStack, surveyAnswers } from './helpers';

/**
 * docs/security.md 41: Strict-Transport-Security with max-age of at least a year and
 * includeSubDomains on every response: JSON, errors raised before any route, redirects, probes,
 * metrics, the admin API, the demo page, and relayed answers.
 */
describe('41: HSTS on every response', () => {
  const suite = useSecurityStack();
  let answers: Answer[];

  beforeAll(async () => {
    answers = await surveyAnswers(suite.stack);
  });

  it('should send HSTS for at least a year, with includeSubDomains, on everything', () => {
    const statuses = new Set(answers.map((a) => a.status));
    for (const s of [200, 302, 401, 403, 404, 413, 415, 500]) expect(statuses).toContain(s);
    const bad = answers.filter((a) => {
      const hsts = String(a.headers['strict-transport-security'] ?? '');
      const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0);
      return maxAge < 31536000 || !/includeSubDomains/.test(hsts);
    });
    expect(bad.map((a) => a.what)).toEqual([]);
  });
});
