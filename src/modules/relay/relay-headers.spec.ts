import { browserResponseHeaders, upstreamRequestHeaders } from './relay-headers';

const ctx = {
  clientIp: '203.0.113.9',
  publicOrigin: new URL('https://portal.example.com'),
  requestId: 'req-12345678',
};

describe('relay headers', () => {
  it('should strip the cookie, the browser Authorization, identity and hop-by-hop headers', () => {
    const out = upstreamRequestHeaders(
      {
        host: 'portal.example.com',
        cookie: '__Host-bff=s%3Aabc; other=1',
        authorization: 'Bearer forged',
        'x-csrf': '1',
        'x-forwarded-user': 'admin',
        'x-auth-request-email': 'admin@example.com',
        'x-forwarded-for': '10.6.6.6',
        connection: 'keep-alive, x-drop-me',
        'x-drop-me': 'a',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'content-type': 'application/json',
        accept: 'application/json',
        'x-custom': 'kept',
      },
      { ...ctx, authorization: 'Bearer real-token' },
    );
    expect(out).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
      'x-custom': 'kept',
      authorization: 'Bearer real-token',
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'portal.example.com',
      'x-request-id': 'req-12345678',
    });
  });

  it('should send no Authorization at all on a route without a credential', () => {
    expect(
      upstreamRequestHeaders({ authorization: 'Bearer forged' }, ctx).authorization,
    ).toBeUndefined();
  });

  it('should pass upstream headers back except cookies and hop-by-hop ones', () => {
    expect(
      browserResponseHeaders({
        'Content-Type': 'text/csv',
        'set-cookie': ['upstream=1'],
        'transfer-encoding': 'chunked',
        connection: 'close',
        'cache-control': 'max-age=60',
        etag: '"x"',
      }),
    ).toEqual({ 'content-type': 'text/csv', 'cache-control': 'max-age=60', etag: '"x"' });
  });
});
