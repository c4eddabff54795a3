import type { Request } from 'express';
import { clientIpOf } from '../../common/http/request-context';
import { DeviceRequestFacts } from './device-context';

/**
 * The request's part of the device context. The client address is the request context's,
 * resolved through TRUST_PROXY, so X-Forwarded-For from an untrusted peer changes nothing.
 */
export function deviceFactsOf(req: Request): DeviceRequestFacts {
  return {
    ip: clientIpOf(req),
    userAgent: req.headers['user-agent'],
    acceptLanguage: req.headers['accept-language'],
  };
}
