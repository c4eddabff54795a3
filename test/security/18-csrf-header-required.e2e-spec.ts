import request from 'supertest';
import { ORIGIN, passwordLogin, useSecurityStack } from './helpers';

/** Every state-changing endpoint of /auth (docs/api.md section 4) with a plausible body. */
const UNSAFE: [string, string, object | undefined][] = [
  ['POST', '/auth/captcha/verify', { token: 'x', point_json: '{}', mobile: '13800000001' }],
  ['POST', '/auth/sms/send', { mobile: '13800000001', purpose: 'login' }],
  ['POST', '/auth/login/password', { user_name: 'zhangsan', password: 'Passw0rd!2024' }],
  ['POST', '/auth/login/sms', { mobile: '13800000001', verify_code: '123456' }],
  ['POST', '/auth/login/social/wechat', { code: 'wx-code-zhangsan' }],
  ['POST', '/auth/mfa/sms', { verify_code: '123456' }],
  ['POST', '/auth/password/update', { old_password: 'a', new_password: 'b' }],
  ['POST', '/auth/password/skip', undefined],
  ['POST', '/auth/password/reset', { mobile: '13800000001', verify_code: '1', password: 'x' }],
  ['POST', '/auth/register', { mobile: '13900000001', verify_code: '1' }],
  ['POST', '/auth/social/bind', { mobile: '13800000001', verify_code: '1' }],
  ['POST', '/auth/social/register-bind', { mobile: '13800000001', verify_code: '1' }],
  ['PATCH', '/auth/profile', { name: 'x' }],
  ['DELETE', '/auth/social/accounts/abc', undefined],
  ['POST', '/auth/logout', undefined],
  ['POST', '/api/byid/things', { a: 1 }],
  ['PUT', '/api/byid/things/1', { a: 1 }],
  ['PATCH', '/api/byid/things/1', { a: 1 }],
  ['DELETE', '/api/byid/things/1', undefined],
  ['POST', '/api/open/things', { a: 1 }],
];

/**
 * docs/security.md 18: every unsafe request to /auth and to the relay without `X-CSRF: 1` is refused
 * with 403 CSRF_REJECTED, login and logout included (token refresh has no endpoint: it happens
 * inside other calls), even with a valid session cookie and a same-origin Origin; nothing reaches
 * OneAccess or the upstream, and the session is untouched.
 */
describe('18: the custom header is required on every unsafe request', () => {
  const suite = useSecurityStack();

  it('should refuse every unsafe /auth and /api request without X-CSRF: 1', async () => {
    const b = await passwordLogin(suite.stack.url);
    const journalBefore = await (await fetch(`${suite.stack.simulator.url}/__sim/journal`)).json();
    for (const header of [undefined, '0', 'true', '']) {
      for (const [method, path, body] of UNSAFE) {
        let req = request(suite.stack.url)
          [method.toLowerCase() as 'post'](path)
          .set('Cookie', b.cookieHeader)
          .set('Origin', ORIGIN);
        if (header !== undefined) req = req.set('X-CSRF', header);
        if (body) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
        const res = await req;
        expect({ method, path, header, status: res.status, code: res.body.code }).toEqual({
          method,
          path,
          header,
          status: 403,
          code: 'CSRF_REJECTED',
        });
      }
    }
    expect(suite.stack.upstream.seen).toEqual([]);
    expect(await (await fetch(`${suite.stack.simulator.url}/__sim/journal`)).json()).toEqual(
      journalBefore,
    );
    expect((await b.get('/auth/session')).body.status).toBe('SUCCESS');
  });
});
