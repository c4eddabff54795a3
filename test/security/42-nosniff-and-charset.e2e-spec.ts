import { Answer, useSecurityStack, surveyAnswers } from './helpers';

/**
 * docs/security.md 42: `X-Content-Type-Options: nosniff` on every response, and every body the gateway
 * writes itself has a Content-Type with its charset. (A relayed body keeps the upstream's own
 * Content-Type: the gateway does not rewrite upstream answers; nosniff is added there too.)
 */
describe('42: nosniff, and a Content-Type with charset on every body', () => {
  const suite = useSecurityStack();
  let answers: Answer[];

  beforeAll(async () => {
    answers = await surveyAnswers(suite.stack);
  });

  it('should send nosniff on every response', () => {
    expect(
      answers.filter((a) => a.headers['x-content-type-options'] !== 'nosniff').map((a) => a.what),
    ).toEqual([]);
  });

  it('should label every body of its own with a type and charset', () => {
    const own = answers.filter((a) => a.body.length > 0 && !/\(relayed/.test(a.what));
    expect(own.length).toBeGreaterThan(15);
    const bad = own.filter(
      (a) =>
        !/^[a-z]+\/[a-z0-9.+-]+;.*charset=utf-8/i.test(String(a.headers['content-type'] ?? '')),
    );
    expect(bad.map((a) => `${a.what}: ${String(a.headers['content-type'])}`)).toEqual([]);
    // JSON is JSON.
    for (const a of own.filter((a) => /^application\/json/.test(String(a.headers['content-type']))))
      expect(() => {
        JSON.parse(a.body.toString('utf8'));
      }).not.toThrow();
  });
});
