import type { Request } from 'express';
import { DeviceRequestFacts } from './device-context';

/**
 * The request's part of the device context. `req.ip` is resolved by Express through the
 * TRUST_PROXY setting, so X-Forwarded-For from an untrusted peer changes nothing.
 */
export function deviceFactsOf(req: Request): DeviceRequestFacts {
  return {
    ip: req.ip,
    userAgent: req.headers['user-agent'],
    acceptLanguage: req.headers['accept-language'],
  };
}
