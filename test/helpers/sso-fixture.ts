/// <reference types="jest" />
import { DeviceContext } from '../../src/modules/oneaccess/device-context';
import { OneAccessEndpoint } from '../../src/modules/oneaccess/oneaccess-endpoint';
import { OneAccessTransport } from '../../src/modules/oneaccess/oneaccess-transport';
import { SsoClient } from '../../src/modules/oneaccess/sso.client';
import {
  MOCK_ENDPOINT,
  MOCK_ORIGIN,
  OneAccessMockFixture,
  useOneAccessMock,
} from './oneaccess-mock';

/** What SsoClient's unit tests (`sso.client.spec.ts`, `sso-tenant-token.spec.ts`) share. */
export const ORIGIN = MOCK_ORIGIN;
export const ENDPOINT: OneAccessEndpoint = {
  ...MOCK_ENDPOINT,
  // Characters that form encoding must escape.
  clientSecret: 's&cr=t+/é',
};
export const DEVICE: DeviceContext = {
  ip: '203.0.113.7',
  agent: 'Mozilla/5.0 Test',
  osVersion: 'Android 14',
  fingerprint: 'fp_0123456789',
  lang: 'en',
};
export const DEVICE_FIELDS = {
  operating_sys_version: 'Android 14',
  device_ip: '203.0.113.7',
  device_fingerprint: 'fp_0123456789',
  agent: 'Mozilla/5.0 Test',
};
export const TOKEN_PATH = '/api/v2/tenant/token';
export const TICKET_PATH = '/api/v2/tenant/sso/session-token/sso-ticket';
export const VERIFY_PATH = '/api/v2/tenant/sso/sso-ticket/verify';
export const REFRESH_PATH = '/api/v2/tenant/sso/session-token/refresh';
export const TICKET = { expire: 300, sso_ticket: 'ssoTicket-abc' };
/** Faking only Date lets the cache's clock move while undici's own timers and AbortSignal.timeout stay real. */
export const REAL_TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;
export const T0 = Date.UTC(2026, 0, 1);

export interface SsoMockFixture extends OneAccessMockFixture {
  /** Answers the next tenant-token request with `token`. */
  serveTenantToken(token: string, expiresIn?: unknown): void;
  build(endpoint?: OneAccessEndpoint): SsoClient;
  /** How many tenant tokens this test fetched. */
  tokenCalls(): number;
  /** The Authorization headers of this test's SSO calls. */
  bearers(): string[];
}

export function useSsoMock(): SsoMockFixture {
  const fx = useOneAccessMock(ORIGIN) as SsoMockFixture;
  fx.serveTenantToken = (token, expiresIn = 1800) =>
    void fx.answer('POST', TOKEN_PATH, 200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: expiresIn,
      scope: 'all',
    });
  fx.build = (endpoint = ENDPOINT) =>
    new SsoClient(new OneAccessTransport(fx.mock.agent, endpoint), endpoint);
  fx.tokenCalls = () => fx.seen.filter((r) => r.path === TOKEN_PATH).length;
  fx.bearers = () =>
    fx.seen.filter((r) => r.path !== TOKEN_PATH).map((r) => r.headers.Authorization);
  return fx;
}
