import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { clientIpOf, contextOf, RequestContexts } from './request-context';

const ORIGIN = 'https://app.example.com';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function req(
  headers: IncomingHttpHeaders = {},
  { peer = '127.0.0.1', method = 'GET', url = '/auth/session' } = {},
): IncomingMessage {
  return {
    headers,
    method,
    url,
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
  } as unknown as IncomingMessage;
}

/** A response that records setHeader calls. */
function res(): ServerResponse & { set: [string, unknown][] } {
  const set: [string, unknown][] = [];
  return { set, setHeader: (name: string, value: unknown) => set.push([name, value]) } as never;
}

describe('RequestContext', () => {
  const behindLoopbackProxy = new RequestContexts(['loopback'], ORIGIN, '');
  const direct = new RequestContexts(false, ORIGIN, '');

  describe('request id', () => {
    it("should keep a trusted proxy's well-formed id", () => {
      const ctx = behindLoopbackProxy.open(req({ 'x-request-id': 'edge-1234.abcd' }));
      expect(ctx.id).toBe('edge-1234.abcd');
    });

    it('should replace an id sent by a peer that is not a trusted proxy', () => {
      const fromBrowser = direct.open(req({ 'x-request-id': 'chosen-by-me' }));
      expect(fromBrowser.id).toMatch(UUID);
      const fromOtherPeer = behindLoopbackProxy.open(
        req({ 'x-request-id': 'chosen-by-me' }, { peer: '203.0.113.9' }),
      );
      expect(fromOtherPeer.id).toMatch(UUID);
    });

    it("should replace a trusted proxy's malformed id (it is logged unescaped)", () => {
      const ctx = behindLoopbackProxy.open(req({ 'x-request-id': 'a"b,"level":60' }));
      expect(ctx.id).toMatch(UUID);
    });

    it('should hang the context and its id on the request when attached, fixed once', () => {
      const r = req();
      const ctx = direct.open(r);
      expect(contextOf(r)).toBeUndefined();
      ctx.attach();
      expect(contextOf(r)).toBe(ctx);
      expect((r as IncomingMessage & { id?: string }).id).toBe(ctx.id);
      expect(ctx.id).toBe(ctx.id);
      expect(direct.open(req()).id).not.toBe(ctx.id);
    });
  });

  describe('client address', () => {
    it('should take it from X-Forwarded-For as far as the hops are trusted', () => {
      const r = req({ 'x-forwarded-for': '198.51.100.7, 203.0.113.9' });
      const ctx = behindLoopbackProxy.open(r);
      ctx.attach();
      expect(ctx.clientIp).toBe('203.0.113.9');
      expect(clientIpOf(r)).toBe('203.0.113.9');
    });

    it('should ignore X-Forwarded-For from an untrusted peer', () => {
      const r = req({ 'x-forwarded-for': '203.0.113.9' }, { peer: '192.0.2.1' });
      expect(direct.open(r).clientIp).toBe('192.0.2.1');
    });

    it('should clean X-Forwarded-For once: the header is rewritten, and later reads reuse the address', () => {
      const r = req({ 'x-forwarded-for': 'unknown, <script>, 203.0.113.9' });
      const ctx = behindLoopbackProxy.open(r);
      expect(r.headers['x-forwarded-for']).toBe('unknown, <script>, 203.0.113.9');
      expect(ctx.clientIp).toBe('203.0.113.9');
      expect(r.headers['x-forwarded-for']).toBe('203.0.113.9');
      // Worked out once: a header changed afterwards is not read again.
      r.headers['x-forwarded-for'] = '198.51.100.1';
      expect(ctx.clientIp).toBe('203.0.113.9');
    });

    it('should fall to the last trusted hop when the client entry is not an address', () => {
      expect(behindLoopbackProxy.open(req({ 'x-forwarded-for': '<script>' })).clientIp).toBe(
        '127.0.0.1',
      );
    });

    it("should be the socket's address for a request no listener received", () => {
      expect(clientIpOf(req({ 'x-forwarded-for': '203.0.113.9' }, { peer: '192.0.2.5' }))).toBe(
        '192.0.2.5',
      );
    });
  });

  describe('CSRF verdict', () => {
    const verdict = (headers: IncomingHttpHeaders, method = 'POST') =>
      direct.open(req(headers, { method })).csrfViolation;

    it('should pass safe methods and unsafe ones with X-CSRF from the same origin', () => {
      expect(verdict({}, 'GET')).toBeNull();
      expect(
        verdict({ 'x-csrf': '1', origin: ORIGIN, 'sec-fetch-site': 'same-origin' }),
      ).toBeNull();
    });

    it('should refuse an unsafe method without X-CSRF, cross-site, same-site or from a foreign origin', () => {
      expect(verdict({})).toBe('missing X-CSRF header');
      expect(verdict({ 'x-csrf': '1', 'sec-fetch-site': 'cross-site' })).toBe(
        'Sec-Fetch-Site cross-site',
      );
      expect(verdict({ 'x-csrf': '1', 'sec-fetch-site': 'same-site' })).toBe(
        'Sec-Fetch-Site same-site',
      );
      expect(verdict({ 'x-csrf': '1', origin: 'https://evil.example' })).toBe('foreign Origin');
    });

    it('should judge once: the verdict stays what it was when first asked', () => {
      const r = req({}, { method: 'DELETE' });
      const ctx = direct.open(r);
      expect(ctx.csrfViolation).toBe('missing X-CSRF header');
      r.headers['x-csrf'] = '1';
      expect(ctx.csrfViolation).toBe('missing X-CSRF header');
    });
  });

  describe('path and headers', () => {
    it('should give the canonical path of the URL as received, BASE_PATH taken out', () => {
      const contexts = new RequestContexts(false, ORIGIN, '/portal');
      expect(contexts.open(req({}, { url: '/Portal//API/./orders?x=1' })).path).toBe('/api/orders');
    });

    it("should write the request's line with its id and method through a path's writer", () => {
      const written: unknown[] = [];
      const ctx = direct.open(req({}, { method: 'POST', url: '/api/x' }));
      const sink = Object.assign((line: unknown) => void written.push(line), {
        kind: 'relay' as const,
      });
      ctx.writeLine(sink, 403, '/api/x', 'x');
      ctx.writeLine(sink, 200, '/api/x', null, 7);
      expect(written).toEqual([
        {
          request_id: ctx.id,
          method: 'POST',
          path: '/api/x',
          status: 403,
          ms: expect.any(Number),
          route: 'x',
          trace: null,
        },
        {
          request_id: ctx.id,
          method: 'POST',
          path: '/api/x',
          status: 200,
          ms: 7,
          route: null,
          trace: null,
        },
      ]);
    });

    it("should know when pino-http's request logger names the request already", () => {
      const r = req();
      const ctx = direct.open(r);
      expect(ctx.idInLogBindings).toBe(false);
      (r as unknown as { log: unknown }).log = {};
      expect(ctx.idInLogBindings).toBe(true);
    });

    it('should set the security headers and X-Request-Id once', () => {
      const ctx = direct.open(req());
      const r = res();
      ctx.applyHeaders(r);
      ctx.applyHeaders(r);
      const names = r.set.map(([name]) => name);
      expect(names).toContain('Content-Security-Policy');
      expect(names).toContain('Cache-Control');
      expect(r.set).toContainEqual(['X-Request-Id', ctx.id]);
      expect(new Set(names).size).toBe(names.length);
    });

    it("should put the headers in a fast path's writeHead list, the answer's own first", () => {
      const ctx = direct.open(req());
      const head = ctx.head({ 'content-type': 'application/json', 'cache-control': 'max-age=5' });
      expect(head.slice(0, 4)).toEqual([
        'content-type',
        'application/json',
        'cache-control',
        'max-age=5',
      ]);
      expect(head).not.toContain('Cache-Control');
      expect(head.slice(-2)).toEqual(['X-Request-Id', ctx.id]);
    });
  });
});
