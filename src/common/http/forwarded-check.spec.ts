import { Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { ForwardedHeaderCheck } from './forwarded-check';

function req(peer: string, headers: Record<string, string> = {}): IncomingMessage {
  return { headers, socket: { remoteAddress: peer } } as unknown as IncomingMessage;
}

describe('ForwardedHeaderCheck', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('should warn once when a peer TRUST_PROXY does not trust forwards headers', () => {
    const check = new ForwardedHeaderCheck(false);
    check.inspect(req('10.0.0.5'));
    expect(warn).not.toHaveBeenCalled();
    check.inspect(req('10.0.0.5', { 'x-forwarded-for': '198.51.100.1', forwarded: 'for=x' }));
    check.inspect(req('10.0.0.6', { 'x-forwarded-proto': 'https' }));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatchObject({
      event: 'untrusted_forwarded_headers',
      headers: ['x-forwarded-for', 'forwarded'],
      peer: '10.0.0.5',
    });
  });

  it('should stay quiet for the proxies TRUST_PROXY names', () => {
    const check = new ForwardedHeaderCheck(['10.0.0.0/8']);
    check.inspect(req('10.1.2.3', { 'x-forwarded-for': '198.51.100.1' }));
    new ForwardedHeaderCheck(1).inspect(req('192.0.2.1', { 'x-forwarded-host': 'portal' }));
    expect(warn).not.toHaveBeenCalled();
  });
});
