import proxyaddr from 'proxy-addr';

/** TRUST_PROXY as validated: Express's `trust proxy` setting (all, none, a hop count, or addresses). */
export type TrustProxy = boolean | number | string[];

/**
 * Express's `trust proxy` rule as `(address, hop) => trusted`. Here, beside the setting, because
 * the start-up check compiles it once to refuse a bad address list, and the code that reads
 * client addresses and request ids (src/common) compiles it the same way.
 */
export function compileTrust(trust: TrustProxy): (addr: string, hop: number) => boolean {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_addr, hop) => hop < trust;
  return proxyaddr.compile(trust);
}
