import { Inject, Injectable } from '@nestjs/common';
import { UpstreamError } from '../../common/errors/app-error';
import { DeviceContext } from './device-context';
import { ONEACCESS_ENDPOINT, OneAccessEndpoint } from './oneaccess-endpoint';
import { OneAccessTransport } from './oneaccess-transport';
import {
  SessionTokenRefresh,
  SsoTicket,
  SsoUser,
  TenantToken,
  TenantUser,
} from './oneaccess.types';
import { badResponse, isObject, isString, toSeconds } from './oneaccess-answer';

/** Section 7.1: "default validity 30 min", used when an answer omits `expires_in`. */
const DEFAULT_TENANT_TOKEN_LIFETIME_S = 1800;
/** Renew when less than this, or less than {@link RENEW_FRACTION} of the lifetime, remains. */
const RENEW_MARGIN_MS = 60_000;
const RENEW_FRACTION = 0.1;

/**
 * How a refused tenant token shows itself. OneAccess documents no error code for it (section 7.1),
 * so: HTTP 401, whatever the body, or HTTP 400 whose `error_msg` speaks of the access token
 * (English, or Chinese 访问凭据/访问令牌 as the portal names it). A refused `session_token` or
 * `sso_ticket` does not match and is not retried.
 */
const TENANT_TOKEN_REFUSED = /access[ _-]?token|访问凭据|访问令牌/i;

interface CachedToken {
  value: string;
  /** Epoch ms after which the token is renewed before use. */
  renewAt: number;
}

/**
 * The server-to-server OneAccess APIs authenticated by the tenant access token
 * (`/api/v2/tenant/*`, docs/oneaccess.md sections 6 and 7): the SSO ticket exchange that yields the
 * user behind a session_token, session_token refresh, and user look-ups.
 *
 * The tenant token is cached in memory and renewed early. When OneAccess refuses it anyway (revoked,
 * clocks apart), the cache is dropped and the call is made once more with a new token.
 *
 * Every method may throw UpstreamError with UPSTREAM_TIMEOUT, UPSTREAM_UNAVAILABLE,
 * UPSTREAM_BAD_RESPONSE, or UPSTREAM_REJECTED (with `upstreamCode`) for a OneAccess refusal,
 * including a refused tenant token or client credentials.
 */
@Injectable()
export class SsoClient {
  private cached?: CachedToken;
  private inflight?: Promise<string>;

  constructor(
    private readonly transport: OneAccessTransport,
    @Inject(ONEACCESS_ENDPOINT) private readonly endpoint: OneAccessEndpoint,
  ) {}

  /**
   * A one-time ticket for the user of `sessionToken` (`POST …/sso/session-token/sso-ticket`).
   * `device` must be the login's device: OneAccess compares the fingerprint.
   * @throws UpstreamError UPSTREAM_REJECTED for an invalid session_token; UPSTREAM_BAD_RESPONSE; the common codes.
   */
  async createSsoTicket(device: DeviceContext, sessionToken: string): Promise<SsoTicket> {
    // `client_id` (optional) is left out: it selects *another* SSO application's view of the user.
    const res = await this.bearerCall<Record<string, unknown>>({
      method: 'POST',
      path: '/api/v2/tenant/sso/session-token/sso-ticket',
      json: { session_token: sessionToken, ...deviceFields(device) },
    });
    if (!isString(res.sso_ticket)) throw badResponse('sso-ticket without sso_ticket');
    const ticket: SsoTicket = { sso_ticket: res.sso_ticket };
    const expire = toSeconds(res.expire, 'sso-ticket expire');
    if (expire !== undefined) ticket.expire = expire;
    return ticket;
  }

  /**
   * The user behind a ticket from {@link createSsoTicket} (`POST …/sso/sso-ticket/verify`). Accepts
   * Huawei's nested `{code, message, data: {user}}` and Bamboo's flat user object (section 6.2).
   * @throws UpstreamError UPSTREAM_REJECTED for a used or expired ticket (also when OneAccess says so
   * in `code`/`message` of a 200); UPSTREAM_BAD_RESPONSE without a user id; the common codes.
   */
  async verifySsoTicket(device: DeviceContext, ticket: string): Promise<SsoUser> {
    const res = await this.bearerCall<Record<string, unknown>>({
      method: 'POST',
      path: '/api/v2/tenant/sso/sso-ticket/verify',
      json: { sso_ticket: ticket, ...deviceFields(device) },
    });
    return toSsoUser(res);
  }

  /**
   * A new session_token (and id_token) for `sessionToken` (`POST …/sso/session-token/refresh`).
   * @throws UpstreamError UPSTREAM_REJECTED when OneAccess refuses the session (callers end the
   * gateway session); UPSTREAM_BAD_RESPONSE; the common codes.
   */
  async refreshSessionToken(
    device: DeviceContext,
    sessionToken: string,
  ): Promise<SessionTokenRefresh> {
    const res = await this.bearerCall<Record<string, unknown>>({
      method: 'POST',
      path: '/api/v2/tenant/sso/session-token/refresh',
      json: { session_token: sessionToken, ...deviceFields(device) },
    });
    if (!isString(res.session_token)) throw badResponse('refresh without session_token');
    const out: SessionTokenRefresh = { session_token: res.session_token };
    if (isString(res.id_token)) out.id_token = res.id_token;
    const expire = toSeconds(res.expire, 'session-token refresh expire');
    if (expire !== undefined) out.expire = expire;
    return out;
  }

  /**
   * A user by OneAccess id (`GET /api/v2/tenant/users/{user_id}`).
   * @throws UpstreamError UPSTREAM_REJECTED for an unknown id; UPSTREAM_BAD_RESPONSE without `user_id`; the common codes.
   */
  async getUser(userId: string): Promise<TenantUser> {
    const res = await this.bearerCall<Record<string, unknown>>({
      method: 'GET',
      path: `/api/v2/tenant/users/${encodeURIComponent(userId)}`,
      endpoint: '/api/v2/tenant/users/{user_id}',
    });
    return toTenantUser(res);
  }

  /**
   * A user by user name (`POST /api/v2/tenant/users/user-by-username`).
   * @throws UpstreamError UPSTREAM_REJECTED for an unknown name; UPSTREAM_BAD_RESPONSE without `user_id`; the common codes.
   */
  async getUserByUserName(userName: string): Promise<TenantUser> {
    const res = await this.bearerCall<Record<string, unknown>>({
      method: 'POST',
      path: '/api/v2/tenant/users/user-by-username',
      json: { user_name: userName },
    });
    return toTenantUser(res);
  }

  /** Runs one Bearer(T) call; retries once with a new tenant token if OneAccess refused the cached one. */
  private async bearerCall<T>(call: {
    method: 'GET' | 'POST';
    path: string;
    endpoint?: string;
    json?: unknown;
  }): Promise<T> {
    const token = await this.tenantToken();
    try {
      return await this.send<T>(call, token);
    } catch (err) {
      if (!isTenantTokenRefusal(err)) throw err;
      // A concurrent caller may already have replaced the token; drop only the one refused.
      if (this.cached?.value === token) this.cached = undefined;
      return this.send<T>(call, await this.tenantToken());
    }
  }

  private send<T>(
    call: { method: 'GET' | 'POST'; path: string; endpoint?: string; json?: unknown },
    token: string,
  ): Promise<T> {
    return this.transport.call<T>({
      ...call,
      headers: { ...this.tenantHeader(), Authorization: `Bearer ${token}` },
      expect: 'json',
    });
  }

  /** The cached tenant token, or a new one; concurrent callers share one fetch. */
  private async tenantToken(): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.value;
    this.inflight ??= this.fetchTenantToken().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async fetchTenantToken(): Promise<string> {
    const requestedAt = Date.now();
    const res = await this.transport.call<Partial<Record<keyof TenantToken, unknown>>>({
      method: 'POST',
      path: '/api/v2/tenant/token',
      headers: this.tenantHeader(),
      form: {
        grant_type: 'client_credentials',
        client_id: this.endpoint.clientId,
        client_secret: this.endpoint.clientSecret,
      },
      expect: 'json',
    });
    if (!isString(res.access_token)) throw badResponse('tenant token without access_token');
    const lifetimeS =
      toSeconds(res.expires_in, 'tenant token expires_in') ?? DEFAULT_TENANT_TOKEN_LIFETIME_S;
    // Counted from the request, not the answer: the token's clock started somewhere in between.
    const lifetimeMs = lifetimeS * 1000;
    this.cached = {
      value: res.access_token,
      renewAt: requestedAt + lifetimeMs - Math.max(RENEW_MARGIN_MS, lifetimeMs * RENEW_FRACTION),
    };
    return res.access_token;
  }

  private tenantHeader(): Record<string, string> {
    return this.endpoint.tenantId ? { 'X-tenant-id': this.endpoint.tenantId } : {};
  }
}

/** The device facts the SSO bodies carry instead of the SDK's X-* headers (section 6). */
function deviceFields(device: DeviceContext): Record<string, string> {
  return {
    operating_sys_version: device.osVersion,
    device_ip: device.ip,
    device_fingerprint: device.fingerprint,
    agent: device.agent,
  };
}

function isTenantTokenRefusal(err: unknown): boolean {
  if (!(err instanceof UpstreamError)) return false;
  if (err.upstreamStatus === 401) return true;
  return (
    err.upstreamStatus === 400 &&
    err.upstreamCode !== undefined &&
    TENANT_TOKEN_REFUSED.test(err.message)
  );
}

/** Exported for tests of the shape tolerance. */
export function toSsoUser(res: Record<string, unknown>): SsoUser {
  const data = isObject(res.data) ? res.data : undefined;
  const candidate = data && isObject(data.user) ? data.user : res;
  const id = candidate.id ?? candidate.user_id;
  if (isString(id)) {
    const user: SsoUser = { id };
    const userName = candidate.userName ?? candidate.user_name;
    if (isString(userName)) user.userName = userName;
    for (const key of ['name', 'mobile', 'email'] as const) {
      const value = candidate[key];
      if (isString(value)) user[key] = value;
    }
    return user;
  }
  // Success values of `code` are not documented; a nested answer with a code and no user is a refusal.
  const code = res.code;
  if ((isString(code) || typeof code === 'number') && !SUCCESS_CODES.has(String(code))) {
    return rejected(String(code), res.message);
  }
  throw badResponse('sso-ticket verify without a user');
}

const SUCCESS_CODES = new Set(['0', '200', 'SUCCESS', 'success', 'OK', 'ok']);

function rejected(code: string, message: unknown): never {
  throw new UpstreamError(
    'UPSTREAM_REJECTED',
    'oneaccess',
    isString(message) ? message : undefined,
    {
      upstreamCode: code,
      upstreamStatus: 200,
    },
  );
}

function toTenantUser(res: Record<string, unknown>): TenantUser {
  if (!isString(res.user_id)) throw badResponse('tenant user without user_id');
  return res as unknown as TenantUser;
}
