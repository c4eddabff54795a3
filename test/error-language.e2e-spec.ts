import { BrowserClient } from './helpers/browser-client';
import { EchoUpstream } from './helpers/echo-upstream';
import { CLOSED_ORIGIN } from './helpers/free-port';
import { GatewayStack, startGatewayStack } from './helpers/gateway-stack';
import { rawRequest, RawReply } from './helpers/raw-http';
import { ORIGIN, USERS } from './security/helpers';

const CHINESE = 'zh-CN,zh;q=0.9';
const HAN = /[\u4e00-\u9fff]/;

/**
 * The gateway's own error messages follow Accept-Language (docs/api.md section 6): Chinese when
 * the browser prefers it, English otherwise, the code and status the same either way, on every
 * path that writes an error (Nest's filter, the relay, the front door, the ops paths).
 */
describe('error messages in the reader’s language', () => {
  let stack: GatewayStack;
  let upstream: EchoUpstream;
  let browser: BrowserClient;

  beforeAll(async () => {
    upstream = await new EchoUpstream().start();
    stack = await startGatewayStack({
      env: {
        API_ROUTES: JSON.stringify({
          echo: { target: `${upstream.url}/svc` },
          dead: { target: `${CLOSED_ORIGIN}/x` },
        }),
      },
    });
    browser = new BrowserClient(stack.gateway.url);
    const login = await browser.post('/auth/login/password', {
      user_name: USERS.plain.user_name,
      password: 'Passw0rd!2024',
    });
    expect(login.body.status).toBe('SUCCESS');
  });
  afterAll(async () => {
    await stack?.close();
    await upstream?.close();
  });

  const get = (path: string, language?: string, cookie?: string) =>
    rawRequest(stack.gateway.url, 'GET', path, {
      ...(language ? { 'accept-language': language } : {}),
      ...(cookie ? { cookie } : {}),
    });

  /** A password login with `body` as sent, from the page's origin, by a Chinese browser. */
  const postLogin = (body: string) =>
    rawRequest(
      stack.gateway.url,
      'POST',
      '/auth/login/password',
      {
        'accept-language': CHINESE,
        'content-type': 'application/json',
        'x-csrf': '1',
        origin: ORIGIN,
      },
      body,
    );

  /** The answer is `status` with `code`, and its message is `message`. */
  function expectError(res: RawReply, status: number, code: string, message?: string): void {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    if (message !== undefined) expect(res.body.message).toBe(message);
  }

  function expectLanguage(res: RawReply, language: 'zh-CN' | 'en'): void {
    expect(res.headers['content-language']).toBe(language);
    expect(String(res.headers.vary)).toMatch(/\bAccept-Language\b/i);
    expect(HAN.test(res.body.message)).toBe(language === 'zh-CN');
  }

  it('should answer an /auth error in Chinese for a Chinese browser, and in English otherwise', async () => {
    const zh = await get('/auth/profile', CHINESE);
    expectError(zh, 401, 'UNAUTHENTICATED', '请先登录。');
    expectLanguage(zh, 'zh-CN');

    for (const language of [undefined, 'en-US,en;q=0.9', 'fr-FR', 'zh;q=0.2,en;q=0.5']) {
      const en = await get('/auth/profile', language);
      expect({ language, message: en.body.message }).toEqual({
        language,
        message: 'Sign in first.',
      });
      expectError(en, 401, 'UNAUTHENTICATED');
      expectLanguage(en, 'en');
    }
  });

  it('should answer a relay error in Chinese, the code unchanged', async () => {
    const unknown = await get('/api/nope/x', CHINESE);
    expectError(unknown, 404, 'NOT_FOUND', '未找到。');
    expectLanguage(unknown, 'zh-CN');

    const anonymous = await get('/api/echo/x', CHINESE);
    expectError(anonymous, 401, 'UNAUTHENTICATED', '请先登录。');
    expectLanguage(anonymous, 'zh-CN');

    // Signed in, a target that cannot be reached: the relay's own failure, still in Chinese.
    const dead = await get('/api/dead/x', CHINESE, browser.cookieHeader);
    expectError(dead, 503, 'UPSTREAM_UNAVAILABLE', '该 API 暂不可用，请稍后再试。');
    expectLanguage(dead, 'zh-CN');
    const deadEn = await get('/api/dead/x', 'en', browser.cookieHeader);
    expectError(deadEn, 503, 'UPSTREAM_UNAVAILABLE', 'The API is unavailable. Try again shortly.');
    expectLanguage(deadEn, 'en');
    // An answer the target gave is its own: not translated, no Content-Language added.
    const ok = await get('/api/echo/x', CHINESE, browser.cookieHeader);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-language']).toBeUndefined();
  });

  it('should answer the front door’s refusals and a validation failure in Chinese', async () => {
    const malformed = await get('/auth/%zz', CHINESE);
    expectError(malformed, 400, 'VALIDATION_FAILED', '请求路径无效。');
    expectLanguage(malformed, 'zh-CN');

    const bad = await postLogin('{"user_name":');
    expectError(bad, 400, 'VALIDATION_FAILED', '请求体不是有效的 JSON。');
    expectLanguage(bad, 'zh-CN');

    // Each failing field in Chinese too, by its rule; the field names stay the API's.
    const empty = await postLogin('{"user_name":"","extra":1}');
    expectError(empty, 400, 'VALIDATION_FAILED', '请求无效。');
    expect(empty.body.errors.length).toBeGreaterThan(0);
    for (const entry of empty.body.errors as Array<Record<string, string>>) {
      expect(Object.keys(entry).sort()).toEqual(['field', 'message']);
      expect(entry.message).toMatch(HAN);
      expect(entry.message).toContain(entry.field);
    }
  });
});
