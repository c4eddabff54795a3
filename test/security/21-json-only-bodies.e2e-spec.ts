import request from 'supertest';
import { ORIGIN, PASSWORD, passwordLogin, useSecurityStack } from './helpers';

/**
 * docs/security.md 21: /auth's JSON endpoints refuse the "simple" content types a cross-site form can
 * send (text/plain, application/x-www-form-urlencoded, multipart/form-data) with 415, before any
 * handler runs. The relay passes bodies through as they are (the contract's choice: upstream
 * content types are the upstream's), so there the custom header of 18 is what stops a form.
 */
describe('21: simple content types are refused with 415', () => {
  const suite = useSecurityStack();

  it.each([
    ['text/plain', JSON.stringify({ user_name: 'zhangsan', password: PASSWORD })],
    ['text/plain;charset=UTF-8', JSON.stringify({ user_name: 'zhangsan', password: PASSWORD })],
    [
      'application/x-www-form-urlencoded',
      `user_name=zhangsan&password=${encodeURIComponent(PASSWORD)}`,
    ],
    [
      'multipart/form-data; boundary=x',
      `--x\r\nContent-Disposition: form-data; name="user_name"\r\n\r\nzhangsan\r\n--x--\r\n`,
    ],
  ])('should refuse a %s login with 415 and not sign in', async (type, body) => {
    const res = await request(suite.stack.url)
      .post('/auth/login/password')
      .set('X-CSRF', '1')
      .set('Origin', ORIGIN)
      .set('Content-Type', type)
      .send(body);
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('should refuse a form post to the relay without the custom header', async () => {
    const b = await passwordLogin(suite.stack.url);
    const res = await request(suite.stack.url)
      .post('/api/byid/x')
      .set('Cookie', b.cookieHeader)
      .set('Origin', ORIGIN)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('a=b');
    expect(res.status).toBe(403);
    expect(suite.stack.upstream.seen).toEqual([]);
  });
});
