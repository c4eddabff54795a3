import type { Attributes } from '@opentelemetry/api';

/** A client span's `server.address` and `server.port` for the origin it calls (port defaulted by scheme). */
export function serverAddress(url: URL): Attributes {
  return {
    'server.address': url.hostname,
    'server.port': Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
  };
}
