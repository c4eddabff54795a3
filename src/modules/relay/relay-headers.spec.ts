import { DEFAULT_FORWARDED_HEADERS, neverForwarded } from '../../config/relay-header-names';
import { browserResponseHeaders, upstreamRequestHeaders } from './relay-headers';

const ctx = {
  clientIp: '203.0.113.9',
  publicOrigin: new URL('https://portal.example.com'),
  requestId: 'req-12345678',
};
const DEFAULTS = new Set(DEFAULT_FORWARDED_HEADERS);

/** Identity, routing and method-override headers an upstream behind a gateway might trust. */
const ATTACK_HEADERS = {
  'x-original-url': '/admin',
  'x-rewrite-url': '/admin',
  'true-client-ip': '10.0.0.1',
  'x-client-ip': '10.0.0.1',
  'x-userinfo': 'eyJzdWIiOiJhZG1pbiJ9',
  'x-auth-user': 'admin',
  'x-authenticated-user': 'admin',
  'x-access-token': 'forged',
  'x-id-token': 'forged',
  'x-forwarded-server': 'internal',
  'x-forwarded-uri': '/admin',
  'x-original-forwarded-for': '10.0.0.1',
  'x-http-method-override': 'DELETE',
  'x-method-override': 'DELETE',
  'x-device-ip': '10.0.0.1',
};

describe('relay headers', () => {
  it('should forward only allow-listed headers and add the credential and forwarding facts', () => {
    const out = upstreamRequestHeaders(
      {
        host: 'portal.example.com',
        cookie: '__Host-bff=s%3Aabc; other=1',
        authorization: 'Bearer forged',
        'x-csrf': '1',
        'x-forwarded-user': 'admin',
        'x-auth-request-email': 'admin@example.com',
        'x-forwarded-for': '10.6.6.6',
        'x-request-id': 'from-browser',
        connection: 'keep-alive, x-drop-me',
        'x-drop-me': 'a',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        'user-agent': 'test',
        'content-type': 'application/json',
        accept: 'application/json',
        'if-none-match': '"v1"',
        range: 'bytes=0-9',
        'x-custom': 'not listed',
        ...ATTACK_HEADERS,
      },
      DEFAULTS,
      { ...ctx, authorization: 'Bearer real-token' },
    );
    expect(out).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
      'if-none-match': '"v1"',
      range: 'bytes=0-9',
      authorization: 'Bearer real-token',
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'portal.example.com',
      'x-request-id': 'req-12345678',
    });
  });

  it("should forward a route's own forward_headers", () => {
    const allowed = new Set([...DEFAULTS, 'x-custom']);
    const out = upstreamRequestHeaders({ 'x-custom': 'kept', 'x-other': 'no' }, allowed, ctx);
    expect(out['x-custom']).toBe('kept');
    expect(out['x-other']).toBeUndefined();
  });

  it('should drop an allowed header that the Connection header declares hop-by-hop', () => {
    const out = upstreamRequestHeaders({ connection: 'range', range: 'bytes=0-1' }, DEFAULTS, ctx);
    expect(out.range).toBeUndefined();
  });

  it('should send no Authorization at all on a route without a credential', () => {
    expect(
      upstreamRequestHeaders({ authorization: 'Bearer forged' }, DEFAULTS, ctx).authorization,
    ).toBeUndefined();
  });

  it('should refuse every identity, routing and method-override header as a forward_headers name', () => {
    for (const name of [
      ...Object.keys(ATTACK_HEADERS),
      'cookie',
      'authorization',
      'host',
      'forwarded',
      'x-forwarded-for',
      'x-real-ip',
      'x-auth-request-email',
      'x-authenticated-groups',
      'connection',
      'transfer-encoding',
    ])
      expect({ name, refused: neverForwarded(name) }).toEqual({ name, refused: true });
    for (const name of ['x-tenant', 'x-api-version', 'accept'])
      expect({ name, refused: neverForwarded(name) }).toEqual({ name, refused: false });
  });

  it('should pass upstream headers back except cookies, CORS and hop-by-hop ones', () => {
    expect(
      browserResponseHeaders({
        'Content-Type': 'text/csv',
        'set-cookie': ['upstream=1'],
        'transfer-encoding': 'chunked',
        connection: 'close',
        'cache-control': 'max-age=60',
        'access-control-allow-origin': '*',
        'Access-Control-Allow-Credentials': 'true',
        'access-control-expose-headers': 'x-secret',
        etag: '"x"',
      }),
    ).toEqual({ 'content-type': 'text/csv', 'cache-control': 'max-age=60', etag: '"x"' });
  });
});
