import type { IncomingMessage } from 'node:http';
import { sanitizeForwardedFor } from './client-ip';

function req(forwarded: string | undefined, peer = '127.0.0.1'): IncomingMessage {
  return {
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
  } as unknown as IncomingMessage;
}

describe('sanitizeForwardedFor', () => {
  it('should drop a non-address entry and everything that came through it', () => {
    const r = req('198.51.100.7, <script>, 203.0.113.9');
    sanitizeForwardedFor(r);
    expect(r.headers['x-forwarded-for']).toBe('203.0.113.9');
  });

  it('should remove the header when no trailing entry is an address', () => {
    const r = req('unknown');
    sanitizeForwardedFor(r);
    expect(r.headers['x-forwarded-for']).toBeUndefined();
  });

  it('should leave a list of addresses as it is', () => {
    const r = req('2001:db8::1, 203.0.113.9');
    sanitizeForwardedFor(r);
    expect(r.headers['x-forwarded-for']).toBe('2001:db8::1, 203.0.113.9');
  });
});
