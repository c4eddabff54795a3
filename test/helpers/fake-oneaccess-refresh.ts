import type { OAuthClient } from '../../src/modules/oneaccess/oauth.client';
import type { SdkAccountClient } from '../../src/modules/oneaccess/sdk-account.client';
import type { SsoClient } from '../../src/modules/oneaccess/sso.client';
import { waitFor } from './wait-for';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * OneAccess as the token refresher sees it (a hand-written fake of our three clients' refresh
 * calls): each refresh waits until the test answers or refuses it, so a test can look at the
 * lock, the waiters and the record while a refresh is in flight.
 */
export class FakeOneAccess {
  readonly calls: { kind: string; token: string }[] = [];
  private readonly pending: Deferred<unknown>[] = [];

  readonly sdk = {
    refreshIdToken: (_device: unknown, sessionToken: string) =>
      this.next<string>('id_token', sessionToken),
  } as unknown as SdkAccountClient;
  readonly sso = {
    refreshSessionToken: (_device: unknown, sessionToken: string) =>
      this.next('session_token', sessionToken),
  } as unknown as SsoClient;
  readonly oauth = {
    refresh: (refreshToken: string) => this.next('access_token', refreshToken),
  } as unknown as OAuthClient;

  /** Answers the oldest unanswered call once it has been made. */
  async answer(value: unknown): Promise<void> {
    await waitFor(() => this.pending.length > 0, 10_000, 'a OneAccess refresh call');
    this.pending.shift()!.resolve(value);
  }

  async refuse(err: unknown): Promise<void> {
    await waitFor(() => this.pending.length > 0, 10_000, 'a OneAccess refresh call');
    this.pending.shift()!.reject(err);
  }

  private next<T>(kind: string, token: string): Promise<T> {
    this.calls.push({ kind, token });
    const d = deferred<unknown>();
    this.pending.push(d);
    return d.promise as Promise<T>;
  }
}

/** A JWT-shaped token (unsigned: the refresher only reads its `exp`). */
export function jwt(expiresInS: number, tag: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + expiresInS;
  return `${part({ alg: 'none' })}.${part({ exp, tag })}.`;
}
