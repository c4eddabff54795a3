import { requestLineLevel } from './request-line';

describe('requestLineLevel', () => {
  it('should log probes at debug whatever their status', () => {
    expect(requestLineLevel(200, '/healthz')).toBe('debug');
    expect(requestLineLevel(503, '/readyz')).toBe('debug');
    expect(requestLineLevel(200, '/metrics')).toBe('debug');
  });

  it('should follow the status elsewhere: 5xx error, 4xx warn, the rest info', () => {
    expect(requestLineLevel(503, '/api/orders/1')).toBe('error');
    expect(requestLineLevel(500, '/auth/profile')).toBe('error');
    expect(requestLineLevel(429, '/auth/captcha')).toBe('warn');
    expect(requestLineLevel(404, '/nope')).toBe('warn');
    expect(requestLineLevel(200, '/auth/session')).toBe('info');
    expect(requestLineLevel(302, '/auth/oauth/login')).toBe('info');
  });
});
