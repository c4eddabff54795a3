import type { Server } from 'node:http';

/** A listener could not bind: one line for the operator, no stack (main.ts prints it). */
export class ListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListenError';
  }
}

/** How a bound address is written in URLs and messages; unset means every interface. */
function shownHost(host: string | undefined): string {
  const h = host ?? '0.0.0.0';
  return h.includes(':') ? `[${h}]` : h;
}

/**
 * What a failed bind of `variable`'s `port` means, as a {@link ListenError} naming the variable
 * (a busy port, one not allowed, an address not of this machine); any other error unchanged.
 */
export function listenFailure(
  err: NodeJS.ErrnoException,
  variable: string,
  port: number,
  host: string | undefined,
): Error {
  const where = `${variable} ${port}`;
  const on = shownHost(host);
  if (err.code === 'EADDRINUSE')
    return new ListenError(`${where} is already in use on ${on}: ${err.message}`);
  if (err.code === 'EACCES')
    return new ListenError(`${where} may not be bound on ${on}: ${err.message}`);
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND')
    return new ListenError(`${where}: ${on} is not an address of this machine: ${err.message}`);
  return err;
}

/**
 * Binds `server` to `port` on `host` (every interface when unset) and returns its URL. A port in
 * use or not allowed becomes one line naming the variable, e.g.
 * `PORT 3000 is already in use on 0.0.0.0: listen EADDRINUSE: address already in use :::3000`.
 * @throws ListenError
 */
export function listenOn(
  server: Server,
  variable: string,
  port: number,
  host: string | undefined,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(listenFailure(err, variable, port, host));
    server.once('error', onError);
    const done = () => {
      server.removeListener('error', onError);
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve(`http://${shownHost(host)}:${bound}`);
    };
    if (host === undefined) server.listen(port, done);
    else server.listen(port, host, done);
  });
}
