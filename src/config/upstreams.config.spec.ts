import { environmentProblems } from './config';
import { loadUpstreamsConfig } from './upstreams.config';

const problems = environmentProblems;

describe('API_ROUTES and RATE_LIMITS', () => {
  it('should parse API_ROUTES with the id_token default and reject bad names, targets and credentials', () => {
    const cfg = loadUpstreamsConfig({
      API_ROUTES: JSON.stringify({ orders: { target: 'http://orders:8080/v1' } }),
    });
    expect(cfg.routes.get('orders')).toMatchObject({ name: 'orders', token: 'id_token' });
    expect(cfg.routes.get('orders')!.target.href).toBe('http://orders:8080/v1');
    const bad = JSON.stringify({
      Bad_Name: { target: 'ftp://x' },
      ok: { target: 'http://x', token: 'cookie' },
    });
    expect(() => loadUpstreamsConfig({ API_ROUTES: bad })).toThrow(
      /Bad_Name[\s\S]*target[\s\S]*token/,
    );
  });

  it('should refuse unknown API_ROUTES keys, naming the route and the key and suggesting the right one', () => {
    const routes = JSON.stringify({
      orders: { target: 'http://orders:8080', timeout: 5000 },
      files: { target: 'http://files:8080', maxConnections: 4, colour: 'blue' },
    });
    const text = problems({ API_ROUTES: routes }).join('\n');
    expect(text).toContain('API_ROUTES.orders: unknown key "timeout" (did you mean "timeout_ms"?)');
    expect(text).toContain(
      'API_ROUTES.files: unknown key "maxConnections" (did you mean "max_connections"?)',
    );
    expect(text).toMatch(/API_ROUTES\.files: unknown key "colour"; known keys: target, token/);
  });

  it('should give each route its pool size and forwarded headers, defaults included', () => {
    const cfg = loadUpstreamsConfig({
      API_ROUTES: JSON.stringify({
        a: { target: 'http://a' },
        b: { target: 'http://b', max_connections: 8, forward_headers: ['X-Tenant'] },
      }),
    });
    expect(cfg.routes.get('a')).toMatchObject({ maxConnections: 64 });
    expect(cfg.routes.get('a')!.forwardHeaders.has('x-tenant')).toBe(false);
    expect(cfg.routes.get('b')).toMatchObject({ maxConnections: 8 });
    expect([...cfg.routes.get('b')!.forwardHeaders]).toEqual(
      expect.arrayContaining(['accept', 'content-type', 'range', 'if-none-match', 'x-tenant']),
    );
    expect(cfg).toMatchObject({
      maxConcurrentPerSession: 16,
      queuePerSession: 64,
      queueWaitMs: 10_000,
    });
    expect(
      loadUpstreamsConfig({
        RELAY_MAX_CONCURRENT_PER_SESSION: '4',
        RELAY_QUEUE_PER_SESSION: '0',
        RELAY_QUEUE_WAIT_MS: '500',
      }),
    ).toMatchObject({ maxConcurrentPerSession: 4, queuePerSession: 0, queueWaitMs: 500 });
  });

  it('should refuse identity, routing and method-override names in forward_headers and bad pool sizes', () => {
    const routes = JSON.stringify({
      a: {
        target: 'http://a',
        forward_headers: [
          'X-Original-URL',
          'x-auth-user',
          'X-HTTP-Method-Override',
          'Cookie',
          'traceparent',
          'TraceState',
        ],
        max_connections: 0,
      },
      b: { target: 'http://b', forward_headers: 'x-tenant' },
    });
    const text = problems({ API_ROUTES: routes }).join('\n');
    for (const name of ['X-Original-URL', 'x-auth-user', 'X-HTTP-Method-Override', 'Cookie'])
      expect(text).toContain(`API_ROUTES.a.forward_headers: "${name}" is an identity`);
    // A browser's trace context is never passed on: the gateway sends its own (docs/api.md 7).
    for (const name of ['traceparent', 'TraceState'])
      expect(text).toContain(`API_ROUTES.a.forward_headers: "${name}" is trace context`);
    expect(text).toContain('API_ROUTES.a.max_connections: must be an integer from 1 to 4096');
    expect(text).toContain('API_ROUTES.b.forward_headers: must be a list of header names');
    expect(problems({ RELAY_MAX_CONCURRENT_PER_SESSION: '0' }).join('\n')).toContain(
      'RELAY_MAX_CONCURRENT_PER_SESSION',
    );
    const queue = problems({ RELAY_QUEUE_PER_SESSION: '-1', RELAY_QUEUE_WAIT_MS: '10' }).join('\n');
    expect(queue).toContain('RELAY_QUEUE_PER_SESSION');
    expect(queue).toContain('RELAY_QUEUE_WAIT_MS');
  });

  it('should relay WebSockets only on routes with "websocket": true, and bound them per session', () => {
    const cfg = loadUpstreamsConfig({
      API_ROUTES: JSON.stringify({
        live: { target: 'http://live:8080', websocket: true },
        plain: { target: 'http://plain:8080' },
      }),
    });
    expect(cfg.routes.get('live')!.websocket).toBe(true);
    expect(cfg.routes.get('plain')!.websocket).toBe(false);
    expect(cfg.maxWebSocketsPerSession).toBe(8);
    const routes = JSON.stringify({ live: { target: 'http://live', websocket: 'yes' } });
    expect(problems({ API_ROUTES: routes }).join('\n')).toContain(
      'API_ROUTES.live.websocket: must be true or false',
    );
    expect(problems({ RELAY_MAX_WEBSOCKETS_PER_SESSION: '0' }).join('\n')).toContain(
      'RELAY_MAX_WEBSOCKETS_PER_SESSION',
    );
  });

  it('should merge RATE_LIMITS over the defaults, and switch them off with "off"', () => {
    expect(loadUpstreamsConfig({ RATE_LIMITS: '{"login_per_ip":5}' }).rateLimits).toMatchObject({
      login_per_ip: 5,
      login_per_account: 10,
    });
    expect(loadUpstreamsConfig({ RATE_LIMITS: 'off' }).rateLimits).toBeNull();
    expect(() => loadUpstreamsConfig({ RATE_LIMITS: '{"nope":1}' })).toThrow(/RATE_LIMITS.nope/);
  });

  it('should group IPv6 clients by /64 unless RATE_LIMIT_IPV6_PREFIX says otherwise, within 16-128', () => {
    expect(loadUpstreamsConfig({}).ipv6Prefix).toBe(64);
    expect(loadUpstreamsConfig({ RATE_LIMIT_IPV6_PREFIX: '56' }).ipv6Prefix).toBe(56);
    for (const bad of ['8', '129', 'x', '64.5'])
      expect(() => loadUpstreamsConfig({ RATE_LIMIT_IPV6_PREFIX: bad })).toThrow(
        /RATE_LIMIT_IPV6_PREFIX/,
      );
  });
});
