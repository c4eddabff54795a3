import { Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { compileTrust, TrustProxy } from '../../config/trust-proxy';

const FORWARDED = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded'];
/** A misconfiguration shows on the first proxied requests: stop looking after these many. */
const LOOK_AT = 1000;

/**
 * Warns once per process when forwarded headers come from a peer TRUST_PROXY does not trust:
 * the gateway behind nginx without TRUST_PROXY sees every client as the proxy's address (rate
 * limits then count all users as one) and ignores the original scheme and host. Looks at
 * requests until it warned or saw {@link LOOK_AT} forwarded ones; after that it costs one check.
 */
export class ForwardedHeaderCheck {
  private readonly logger = new Logger('TrustProxy');
  private readonly trusted: (addr: string, hop: number) => boolean;
  private remaining = LOOK_AT;

  constructor(private readonly trust: TrustProxy) {
    this.trusted = compileTrust(trust);
  }

  inspect(req: IncomingMessage): void {
    if (this.remaining === 0) return;
    const headers = req.headers;
    // Four lookups and no allocation: this runs on every direct request, forwarded or not.
    if (
      headers['x-forwarded-for'] === undefined &&
      headers['x-forwarded-proto'] === undefined &&
      headers['x-forwarded-host'] === undefined &&
      headers.forwarded === undefined
    )
      return;
    this.remaining--;
    const peer = req.socket.remoteAddress ?? '';
    if (this.trusted(peer, 0)) return;
    this.remaining = 0;
    const names = FORWARDED.filter((h) => headers[h] !== undefined);
    this.logger.warn(
      {
        event: 'untrusted_forwarded_headers',
        headers: names,
        peer,
        trust_proxy: this.trust,
      },
      `${names.join(', ')} arrived from ${peer}, which TRUST_PROXY does not trust: they are ` +
        'ignored, so client addresses (rate limits, audit) are the proxy. Behind a proxy, set ' +
        'TRUST_PROXY to its address or hop count. Logged once.',
    );
  }
}
