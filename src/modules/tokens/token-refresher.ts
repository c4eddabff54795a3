import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AuditLog } from '../../common/audit/audit-log';
import { AppError, UpstreamError } from '../../common/errors/app-error';
import { Credential, StoredCredential } from '../../common/session/credential';
import type { SessionTokens } from '../../common/session/session.types';
import { oneAccessConfig } from '../../config/oneaccess.config';
import { sessionConfig } from '../../config/session.config';
import { decodeJwt } from 'jose';
import { buildDeviceContext, DeviceRequestFacts } from '../oneaccess/device-context';
import { IdTokenRejectedError, IdTokenVerifier } from '../oneaccess/id-token.verifier';
import { OAuthClient } from '../oneaccess/oauth.client';
import { SdkAccountClient } from '../oneaccess/sdk-account.client';
import { SsoClient } from '../oneaccess/sso.client';
import { Metrics } from '../metrics/metrics';
import { CredentialService } from './credential.service';
import { jwtExpiryMs } from './jwt-expiry';
import { RefreshKind, refreshNeeded, TokenNeed } from './token-freshness';

const POLL_MS = 20;
const MERGE_ATTEMPTS = 5;

/**
 * OneAccess said no (4xx), or answered a refresh grant with an id_token that fails its checks:
 * the credential is dead. Anything else may pass.
 */
function isRefusal(err: unknown): err is UpstreamError | IdTokenRejectedError {
  return (
    err instanceof IdTokenRejectedError ||
    (err instanceof UpstreamError &&
      (err.code === 'UPSTREAM_REJECTED' || err.code === 'INVALID_CREDENTIALS'))
  );
}

/** The audit line's account of a refusal: OneAccess's code, or why its id_token was refused. */
function refusalFields(
  err: UpstreamError | IdTokenRejectedError,
): Record<string, string | undefined> {
  return err instanceof IdTokenRejectedError
    ? { upstream_code: 'invalid_id_token', reason: err.reason }
    : { upstream_code: err.upstreamCode };
}

/** The `sub` of an id_token this gateway verified at login (so reading it unverified is safe). */
function subjectOf(idToken: string | undefined): string | undefined {
  if (!idToken) return undefined;
  try {
    const { sub } = decodeJwt(idToken);
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a session's OneAccess tokens fresh, refreshing each exactly once per session however many
 * requests and instances need it at the same moment (refresh races that log people out are the
 * complaint users of other gateways raise most; docs/glossary.md "Single flight").
 *
 * Within a process concurrent callers share one promise; across processes a Redis lock elects one
 * refresher, which re-reads the record under the lock (someone may have refreshed already) and
 * writes with compare-and-set, merging onto the newest record; the others poll the record and use
 * the winner's tokens. A refusal ends the session (401 SESSION_EXPIRED); a transient failure
 * (timeout, 5xx, unreachable) keeps it and answers 503/504, or uses the current token while it is
 * still valid.
 */
@Injectable()
export class TokenRefresher {
  private readonly inflight = new Map<string, Promise<StoredCredential>>();

  constructor(
    private readonly credentials: CredentialService,
    private readonly sdk: SdkAccountClient,
    private readonly sso: SsoClient,
    private readonly oauth: OAuthClient,
    private readonly idTokens: IdTokenVerifier,
    private readonly audit: AuditLog,
    private readonly metrics: Metrics,
    @Inject(sessionConfig.KEY) private readonly sessionCfg: ConfigType<typeof sessionConfig>,
    @Inject(oneAccessConfig.KEY) private readonly oneAccessCfg: ConfigType<typeof oneAccessConfig>,
  ) {}

  /**
   * A credential whose `need` token has more than the refresh margin left.
   * @throws AppError SESSION_EXPIRED when OneAccess refused the refresh (the session is ended);
   *   UpstreamError UPSTREAM_TIMEOUT / UPSTREAM_UNAVAILABLE on a transient failure (session kept);
   *   AppError SESSION_STORE_UNAVAILABLE
   */
  ensureFresh(
    sid: string,
    stored: StoredCredential,
    need: TokenNeed,
    facts: DeviceRequestFacts,
  ): Promise<StoredCredential> {
    return this.stale(stored.credential, need)
      ? this.refresh(sid, need, facts)
      : Promise.resolve(stored);
  }

  /**
   * Refreshes `need` now, single-flight: for a caller that has just asked {@link needsRefresh}
   * (the relay), so the freshness rule runs once per call. The holder of the lock checks again.
   * @throws as {@link ensureFresh}
   */
  refresh(sid: string, need: TokenNeed, facts: DeviceRequestFacts): Promise<StoredCredential> {
    const key = `${sid}\u0000${need}`;
    let flight = this.inflight.get(key);
    if (!flight) {
      flight = this.refreshOnce(sid, need, facts).finally(() => this.inflight.delete(key));
      this.inflight.set(key, flight);
    }
    return flight;
  }

  /** Whether {@link ensureFresh} has work to do (the relay asks first: most calls need none). */
  needsRefresh(c: Credential, need: TokenNeed): boolean {
    return this.stale(c, need) !== null;
  }

  private stale(c: Credential, need: TokenNeed): RefreshKind | null {
    return refreshNeeded(c, need, Date.now(), this.sessionCfg.tokenRefreshMarginS * 1000);
  }

  private async refreshOnce(
    sid: string,
    need: TokenNeed,
    facts: DeviceRequestFacts,
  ): Promise<StoredCredential> {
    // The holder may need up to four OneAccess calls (public key, server time, refresh, and the
    // signer's one retry): the lock outlives that, and waiters wait at least as long.
    const lockMs = this.oneAccessCfg.timeoutMs * 4 + 1000;
    const deadline = Date.now() + lockMs + 500;
    for (;;) {
      const release = await this.credentials.lock(sid, lockMs);
      if (release) {
        try {
          return await this.refreshUnderLock(sid, need, facts);
        } finally {
          await release();
        }
      }
      // Another instance is refreshing this session: use its result once it is written.
      const current = await this.credentials.get(sid);
      if (!current) throw new AppError('SESSION_EXPIRED');
      if (!this.stale(current.credential, need)) return current;
      if (Date.now() > deadline) throw new UpstreamError('UPSTREAM_TIMEOUT', 'oneaccess');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private async refreshUnderLock(
    sid: string,
    need: TokenNeed,
    facts: DeviceRequestFacts,
  ): Promise<StoredCredential> {
    const current = await this.credentials.get(sid);
    if (!current) throw new AppError('SESSION_EXPIRED');
    const kind = this.stale(current.credential, need);
    if (!kind) return current; // refreshed by the previous lock holder

    let tokens: SessionTokens;
    try {
      tokens = await this.callOneAccess(kind, current.credential, facts);
    } catch (err) {
      if (isRefusal(err)) {
        await this.credentials.end(sid, 'refresh_refused', current.credential.user.id);
        this.audit.record('refresh_refused', { kind, ...refusalFields(err) }, sid);
        this.metrics.refreshes.inc({ kind, outcome: 'refused' });
        throw new AppError('SESSION_EXPIRED', undefined, { cause: err });
      }
      this.audit.record('refresh_failed', { kind, code: (err as AppError).code }, sid);
      this.metrics.refreshes.inc({ kind, outcome: 'failed' });
      if (this.stillUsable(current.credential, need)) return current;
      throw err;
    }
    this.audit.record('token_refreshed', { kind }, sid);
    this.metrics.refreshes.inc({ kind, outcome: 'ok' });
    return this.write(sid, current, tokens);
  }

  /**
   * Writes the new tokens. Activity writes from other requests may have bumped the version
   * meanwhile; they never change tokens (only the lock holder does), so the new tokens are merged
   * onto the newest record and written again.
   */
  private async write(
    sid: string,
    from: StoredCredential,
    tokens: SessionTokens,
  ): Promise<StoredCredential> {
    let base = from;
    for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
      const next = { ...base.credential, tokens };
      if (await this.credentials.replace(sid, base.version, next))
        return { version: base.version + 1, credential: next };
      const latest = await this.credentials.get(sid);
      if (!latest) throw new AppError('SESSION_EXPIRED'); // logged out meanwhile
      base = latest;
    }
    throw new AppError('SESSION_STORE_UNAVAILABLE', 'SESSION_CONTENDED');
  }

  private stillUsable(c: Credential, need: TokenNeed): boolean {
    const t = c.tokens;
    const expiresAt =
      need === 'access_token'
        ? t.access_token_expires_at
        : need === 'id_token'
          ? t.id_token_expires_at
          : t.session_token_expires_at;
    return expiresAt === undefined || expiresAt > Date.now() + 1000;
  }

  private async callOneAccess(
    kind: RefreshKind,
    c: Credential,
    facts: DeviceRequestFacts,
  ): Promise<SessionTokens> {
    const t = c.tokens;
    const now = Date.now();
    const device = buildDeviceContext(facts, c.fingerprint);
    switch (kind) {
      case 'session_token': {
        const r = await this.sso.refreshSessionToken(device, t.session_token!);
        return {
          ...t,
          session_token: r.session_token,
          session_token_expires_at: r.expire ? now + r.expire * 1000 : undefined,
          session_token_issued_at: now,
          ...(r.id_token
            ? {
                id_token: r.id_token,
                id_token_expires_at: jwtExpiryMs(r.id_token),
                id_token_issued_at: now,
              }
            : {}),
        };
      }
      case 'id_token': {
        const idToken = await this.sdk.refreshIdToken(device, t.session_token!);
        return {
          ...t,
          id_token: idToken,
          id_token_expires_at: jwtExpiryMs(idToken),
          id_token_issued_at: now,
        };
      }
      case 'access_token': {
        // Nothing to refresh with: a refusal like OneAccess's, which ends the session.
        if (!t.refresh_token) throw new UpstreamError('UPSTREAM_REJECTED', 'oneaccess');
        const r = await this.oauth.refresh(t.refresh_token);
        const idToken = await this.refreshedIdToken(r.id_token, t.id_token);
        return {
          ...t,
          access_token: r.access_token,
          access_token_expires_at: r.expires_in ? now + r.expires_in * 1000 : undefined,
          access_token_issued_at: now,
          refresh_token: r.refresh_token ?? t.refresh_token,
          ...(idToken
            ? {
                id_token: idToken.token,
                id_token_expires_at: idToken.expiresAt,
                id_token_issued_at: now,
              }
            : {}),
        };
      }
    }
  }
  /**
   * The id_token a refresh grant returned, verified as the login's was (OIDC Core 12.2: same
   * issuer, audience and `sub`), or undefined to keep the session's own. A token that fails a
   * check is thrown (the session ends: IdTokenRejectedError is a refusal). When its keys cannot be
   * fetched, the new access and refresh tokens are still kept (OneAccess may have rotated the
   * refresh token already) with the previous id_token, and the next refresh checks again. A
   * session without an id_token (a login without `openid`) has no subject to compare: it stays so.
   */
  private async refreshedIdToken(
    fresh: string | undefined,
    previous: string | undefined,
  ): Promise<{ token: string; expiresAt: number | undefined } | undefined> {
    const sub = subjectOf(previous);
    if (!fresh || sub === undefined) return undefined;
    try {
      const claims = await this.idTokens.verifyRefreshed(fresh, sub);
      return { token: fresh, expiresAt: claims.exp === undefined ? undefined : claims.exp * 1000 };
    } catch (err) {
      if (err instanceof UpstreamError) return undefined;
      throw err;
    }
  }
}
