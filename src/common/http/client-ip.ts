import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

export type TrustProxy = boolean | number | string[];

/**
 * Express's `trust proxy` rule as a function, for code that runs before Express (the relay):
 * the client address is taken from X-Forwarded-For only as far as the hops are trusted.
 */
export function clientIpResolver(trust: TrustProxy): (req: IncomingMessage) => string {
  const fn = trustFunction(trust);
  return (req) => proxyaddr(req, fn);
}

/** TRUST_PROXY as proxy-addr's rule: is the address at `hop` (0 = the socket peer) a trusted proxy? */
export function trustFunction(trust: TrustProxy): (addr: string, hop: number) => boolean {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_addr, hop) => hop < trust;
  return proxyaddr.compile(trust);
}
