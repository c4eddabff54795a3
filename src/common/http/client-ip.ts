import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export type TrustProxy = boolean | number | string[];

/**
 * Express's `trust proxy` rule as a function, for code that runs before Express (the relay):
 * the client address is taken from X-Forwarded-For only as far as the hops are trusted.
 */
export function clientIpResolver(trust: TrustProxy): (req: IncomingMessage) => string {
  let fn: (addr: string, hop: number) => boolean;
  if (trust === true) fn = () => true;
  else if (trust === false) fn = () => false;
  else if (typeof trust === 'number') fn = (_addr, hop) => hop < trust;
  else fn = proxyaddr.compile(trust);
  return (req) => proxyaddr(req, fn);
}
