import { Agent, Dispatcher } from 'undici';
import { UpstreamError } from '../../common/errors/app-error';
import { OneAccessConfig } from '../../config/oneaccess.config';
import { DeviceContext } from '../oneaccess/device-context';
import { OneAccessEndpoint } from '../oneaccess/oneaccess-endpoint';
import { OneAccessTransport } from '../oneaccess/oneaccess-transport';
import { describeNetworkError } from './doctor-http';

/** The doctor's SDK calls say who they are, as the readiness probe does. */
export const DOCTOR_DEVICE: DeviceContext = {
  ip: '',
  agent: 'oneaccess-bff doctor',
  osVersion: 'Linux',
  fingerprint: 'oneaccess-bff-doctor',
  lang: 'en',
};

/**
 * What the OneAccess checks share: the configured endpoint, a dispatcher of their own (TLS
 * verified, undici's default) and the gateway's transport on it, so the answers are read exactly
 * as the gateway reads them.
 */
export class OneAccessProbe {
  readonly dispatcher: Dispatcher;
  readonly transport: OneAccessTransport;

  constructor(
    readonly endpoint: OneAccessEndpoint,
    readonly production: boolean,
  ) {
    this.dispatcher = new Agent({
      connect: { timeout: endpoint.timeoutMs },
      headersTimeout: endpoint.timeoutMs,
      bodyTimeout: endpoint.timeoutMs,
    });
    this.transport = new OneAccessTransport(this.dispatcher, endpoint);
  }

  static fromConfig(cfg: OneAccessConfig, production: boolean): OneAccessProbe | undefined {
    if (!cfg.baseUrl || !cfg.clientId || !cfg.clientSecret) return undefined;
    return new OneAccessProbe(
      {
        baseUrl: cfg.baseUrl,
        publicUrl: cfg.publicUrl ?? cfg.baseUrl,
        clientId: cfg.clientId,
        clientSecret: cfg.clientSecret,
        tenantId: cfg.tenantId,
        timeoutMs: cfg.timeoutMs,
        embedded: false,
      },
      production,
    );
  }

  /** A failed call in operator terms, never with a token or secret (OneAccess's own message at most). */
  explain(err: unknown): string {
    if (!(err instanceof UpstreamError)) return describeNetworkError(err);
    if (err.upstreamCode) return `OneAccess refused it: ${err.upstreamCode} ${err.message}`;
    switch (err.code) {
      case 'UPSTREAM_TIMEOUT':
        return `no answer within ONEACCESS_TIMEOUT_MS=${this.endpoint.timeoutMs}`;
      case 'UPSTREAM_UNAVAILABLE':
        return err.upstreamStatus
          ? `OneAccess answered HTTP ${err.upstreamStatus}`
          : describeNetworkError(err.cause);
      default: {
        const detail = err.cause instanceof Error ? `: ${err.cause.message}` : '';
        return `unexpected answer${err.upstreamStatus ? ` (HTTP ${err.upstreamStatus})` : ''}${detail}`;
      }
    }
  }

  /** True when the failure says nothing answered at all (as opposed to a refusal or a bad answer). */
  static unreachable(err: unknown): boolean {
    return (
      !(err instanceof UpstreamError) ||
      err.code === 'UPSTREAM_TIMEOUT' ||
      (err.code === 'UPSTREAM_UNAVAILABLE' && err.upstreamStatus === undefined)
    );
  }

  /** True when OneAccess answered with a 4xx: it refused the request (as opposed to failing). */
  static refused(err: unknown): boolean {
    const status = err instanceof UpstreamError ? err.upstreamStatus : undefined;
    return status !== undefined && status >= 400 && status < 500;
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
