/// <reference types="jest" />
import { Logger } from '@nestjs/common';
import { MockAgent } from 'undici';
import { UpstreamError } from '../../src/common/errors/app-error';
import { OneAccessEndpoint } from '../../src/modules/oneaccess/oneaccess-endpoint';

/** Where the clients' unit tests find the mock OneAccess. */
export const MOCK_ORIGIN = 'https://oneaccess.test';
/** The endpoint the clients' unit tests configure (a client's tests may vary a field). */
export const MOCK_ENDPOINT: OneAccessEndpoint = {
  baseUrl: MOCK_ORIGIN,
  publicUrl: MOCK_ORIGIN,
  clientId: 'client-1',
  clientSecret: 'secret-1',
  tenantId: 'tenant-9',
  timeoutMs: 2000,
  embedded: false,
};

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

/** What a client's unit tests share: this test's mock and its record. */
export interface OneAccessMockFixture {
  /** This test's scripted OneAccess. */
  mock: OneAccessMock;
  /** This test's requests, in order (the mock's record). */
  seen: SeenRequest[];
  answer: OneAccessMock['answer'];
  /** The one request this test made. */
  only(): SeenRequest;
}

/**
 * Registers the hooks that give each test a fresh {@link OneAccessMock} at `origin` (closed after
 * it, with real timers back), and returns the fixture they fill.
 */
export function useOneAccessMock(origin: string): OneAccessMockFixture {
  const fx: OneAccessMockFixture = {
    mock: undefined as unknown as OneAccessMock,
    seen: [],
    answer: (...args) => fx.mock.answer(...args),
    only() {
      expect(fx.seen).toHaveLength(1);
      return fx.seen[0];
    },
  };
  // The transport logs every call at debug level; keep the test output to the results.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    fx.mock = new OneAccessMock(origin);
    fx.seen = fx.mock.seen;
  });
  afterEach(async () => {
    jest.useRealTimers();
    await fx.mock.close();
  });
  return fx;
}
