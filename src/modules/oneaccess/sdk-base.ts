import { Inject, Injectable } from '@nestjs/common';
import { DeviceContext } from './device-context';
import { ONEACCESS_ENDPOINT, OneAccessEndpoint } from './oneaccess-endpoint';
import { OneAccessTransport } from './oneaccess-transport';
import { LoginResult } from './oneaccess.types';
import { sdkHeaders } from './sdk-headers';
import { toLoginResult } from './sdk-login-result';
import { XSignatureSigner } from './x-signature.signer';

/** Every user-side SDK path starts here; only Alipay's login is documented under v3. */
export const SDK = '/api/v2/sdk';

export interface SdkCall {
  method: 'GET' | 'POST';
  path: string;
  json?: unknown;
  /** `X-state-token` of a pending login step. */
  stateToken?: string;
  /** `X-signature`, from the signer. */
  signature?: string;
  expect: 'json' | 'none';
}

/**
 * What the three SDK clients share (docs/oneaccess.md sections 4 and 5): every call carries the
 * caller's device headers, a pending step's state token or, after login, an X-signature. The
 * SDK is split by flow (verification, login steps, the signed-in account) so each client stays
 * readable; the plumbing lives here once.
 *
 * Every call may throw UpstreamError with UPSTREAM_TIMEOUT, UPSTREAM_UNAVAILABLE,
 * UPSTREAM_BAD_RESPONSE (also when an answer lacks what its type promises), or, for a OneAccess
 * refusal, the contract code of its `error_code` (INVALID_CREDENTIALS, ACCOUNT_LOCKED, or
 * UPSTREAM_REJECTED) with `upstreamCode` set: "the common codes" in the clients' TSDoc.
 */
@Injectable()
export abstract class SdkBase {
  constructor(
    private readonly transport: OneAccessTransport,
    @Inject(ONEACCESS_ENDPOINT) private readonly endpoint: OneAccessEndpoint,
    private readonly signer: XSignatureSigner,
  ) {}

  /** A call whose answer is a login result (SUCCESS or the next step), checked by its status. */
  protected async login(
    device: DeviceContext,
    call: { method?: 'GET' | 'POST'; path: string; json?: unknown; stateToken?: string },
  ): Promise<LoginResult> {
    const raw = await this.call<Record<string, unknown>>(device, {
      method: 'POST',
      ...call,
      expect: 'json',
    });
    return toLoginResult(raw);
  }

  /** A post-login call, signed for `sessionToken` (the signer retries once on PARAM.0030). */
  protected signed<T>(
    device: DeviceContext,
    sessionToken: string,
    call: Omit<SdkCall, 'signature' | 'stateToken'>,
  ): Promise<T> {
    return this.signer.signed(sessionToken, device, (signature) =>
      this.call<T>(device, { ...call, signature }),
    );
  }

  protected call<T>(device: DeviceContext, call: SdkCall): Promise<T> {
    const headers = sdkHeaders(this.endpoint, device);
    if (call.stateToken !== undefined) headers['X-state-token'] = call.stateToken;
    if (call.signature !== undefined) headers['X-signature'] = call.signature;
    return this.transport.call<T>({
      method: call.method,
      path: call.path,
      headers,
      json: call.json,
      expect: call.expect,
    });
  }
}

/** Only the documented fields travel, whatever object the caller passes. */
export function pick<K extends string>(
  source: object,
  keys: readonly K[],
): Partial<Record<K, unknown>> {
  const record = source as Record<string, unknown>;
  const out: Partial<Record<K, unknown>> = {};
  for (const key of keys) if (record[key] !== undefined) out[key] = record[key];
  return out;
}
