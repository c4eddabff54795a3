import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DeviceContext } from '../oneaccess/device-context';
import { SdkVerificationClient } from '../oneaccess/sdk-verification.client';

/** OneAccess requires device headers even on server-date; the probe identifies itself honestly. */
const PROBE_DEVICE: DeviceContext = {
  ip: '',
  agent: 'oneaccess-bff readiness probe',
  osVersion: 'Linux',
  fingerprint: 'oneaccess-bff-readiness',
  lang: 'en',
};

/** Probes are frequent; one answer per few seconds is enough and spares OneAccess. */
const CACHE_MS = 5000;

@Injectable()
export class OneAccessHealthIndicator {
  private last?: { at: number; up: boolean; message?: string };

  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly sdk: SdkVerificationClient,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const now = Date.now();
    if (!this.last || now - this.last.at > CACHE_MS) {
      try {
        await this.sdk.getServerTime(PROBE_DEVICE);
        this.last = { at: now, up: true };
      } catch (err) {
        this.last = { at: now, up: false, message: (err as Error).message };
      }
    }
    const probe = this.indicator.check(key);
    return this.last.up ? probe.up() : probe.down({ message: this.last.message });
  }
}
