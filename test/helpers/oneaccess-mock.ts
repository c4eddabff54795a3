/// <reference types="jest" />
import { MockAgent } from 'undici';
import { UpstreamError } from '../../src/common/errors/app-error';

/** One request as it reached the mock OneAccess. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * A scripted OneAccess for the clients' unit tests (sdk, sso and oauth `.client.spec.ts`): an
 * undici MockAgent that refuses real connections and records each request it answers, so a test
 * can check exactly what a client sent. MockAgent is fine for that; end-to-end proof runs against
 * the simulator instead. Make one per test and `close()` it after.
 */
export class OneAccessMock {
  readonly agent = new MockAgent();
  /** The answered requests, in order. */
  readonly seen: SeenRequest[] = [];

  constructor(private readonly origin: string) {
    this.agent.disableNetConnect();
  }

  /**
   * Answers the next `method path` with `status` and `data` (an object is sent as JSON),
   * recording the request.
   */
  answer(
    method: string,
    path: string,
    status: number,
    data: unknown = '',
  ): { delay(ms: number): unknown } {
    return this.agent
      .get(this.origin)
      .intercept({ method, path })
      .reply((opts) => {
        this.seen.push({
          method: opts.method,
          path: opts.path,
          headers: { ...(opts.headers as Record<string, string>) },
          body: typeof opts.body === 'string' ? opts.body : undefined,
        });
        return { statusCode: status, data: typeof data === 'string' ? data : JSON.stringify(data) };
      });
  }

  /** Fails the test if an answer was never asked for, then closes the agent. */
  async close(): Promise<void> {
    this.agent.assertNoPendingInterceptors();
    await this.agent.close();
  }
}

/** The UpstreamError `promise` rejects with; the test fails if it resolves or rejects otherwise. */
export async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UpstreamError);
  return err as UpstreamError;
}
