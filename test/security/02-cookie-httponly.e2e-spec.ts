import { BrowserClient, Recorded } from '../helpers/browser-client';
import { COOKIE, mfaLogin, oauthLogin, rawSessionId, useCookieRun } from './helpers';

/**
 * docs/security.md 2: the session cookie is HttpOnly, and the session id reaches the browser only in
 * Set-Cookie: never in a JSON body or another header. (That scripts really cannot read it is
 * proven in a browser: test/browser/login-flows.browser-spec.ts, `document.cookie` is empty.)
 */
describe('02: the session cookie is HttpOnly and the id travels only in Set-Cookie', () => {
  const run = useCookieRun();

  it('should mark every cookie it sets HttpOnly', () => {
    expect(run.lines.length).toBeGreaterThan(0);
    expect(run.lines.filter((l) => !l.cookie.attrs.has('httponly')).map((l) => l.line)).toEqual([]);
  });

  it('should never put the session id in a response body or any other header', async () => {
    const recorded: Recorded[] = [];
    const b = new BrowserClient(run.stack.url, recorded);
    await b.get('/auth/captcha');
    const { browser } = await mfaLogin(run.stack.url, run.stack.simulator, b);
    await browser.get('/auth/session');
    await browser.get('/auth/profile');
    await browser.get('/api/byid/x');
    const oauth = await oauthLogin(run.stack.url);
    const ids = [browser, oauth.browser].map((x) => x.cookies.get(COOKIE)!);
    // Every id this browser was ever given (pre-login, MFA step, signed in).
    for (const r of recorded)
      for (const line of ([] as string[]).concat((r.headers['set-cookie'] as string[]) ?? []))
        if (line.startsWith(`${COOKIE}=`)) ids.push(line.split(';')[0].slice(COOKIE.length + 1));
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const found: string[] = [];
    for (const r of [
      ...recorded,
      {
        method: 'GET',
        path: '/auth/oauth/callback',
        headers: oauth.done.headers,
        text: oauth.done.text ?? '',
      },
    ]) {
      const otherHeaders = { ...(r.headers as Record<string, unknown>) };
      delete otherHeaders['set-cookie'];
      const text = `${JSON.stringify(otherHeaders)}\n${r.text}`;
      for (const id of ids)
        for (const v of [id, decodeURIComponent(id), rawSessionId(id)])
          if (text.includes(v)) found.push(`${r.method} ${r.path}`);
    }
    expect(found).toEqual([]);
  });
});
