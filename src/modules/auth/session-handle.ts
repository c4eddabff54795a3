import type { Request } from 'express';
import type { Session, SessionData } from 'express-session';
import { storeUnavailable } from '../../common/errors/app-error';
import type { StoredCredential } from '../../common/session/credential';
import type { SessionCookie } from '../../common/session/session.types';
import {
  buildDeviceContext,
  chooseFingerprint,
  DeviceContext,
  DeviceRequestFacts,
} from '../oneaccess/device-context';
import { deviceFactsOf } from '../oneaccess/device-facts';

type LiveSession = Session & Partial<SessionData>;

/**
 * The current browser session as services see it: express-session's record, the credential of a
 * signed-in session (loaded by AuthStateGuard), the device it comes from, and the privilege-changing
 * operations as promises that fail with SESSION_STORE_UNAVAILABLE. Keeps Express out of
 * controllers and services (CONTRIBUTING.md section 5), and always reads `req.session` afresh,
 * because regenerate() replaces that object.
 */
export class SessionHandle {
  constructor(private readonly req: Request) {}

  get id(): string {
    return this.req.sessionID;
  }

  /**
   * express-session's session, or, once this request has ended it, an empty stand-in: nothing
   * written there is stored, so an ended session is neither saved again nor sent as a new cookie.
   */
  get data(): LiveSession {
    return this.req.session ?? (this.req.endedSession ??= {});
  }

  get credential(): StoredCredential | null {
    return this.req.credential ?? null;
  }

  set credential(value: StoredCredential | null) {
    this.req.credential = value;
  }

  facts(): DeviceRequestFacts {
    return deviceFactsOf(this.req);
  }

  /** The account name or mobile a login request tried, for the audit line's user pseudonym. */
  attemptedAccount(): string | undefined {
    const body = this.req.body as { user_name?: unknown; mobile?: unknown } | undefined;
    const tried = body?.user_name ?? body?.mobile;
    return typeof tried === 'string' && tried !== '' ? tried : undefined;
  }

  /** The device context for OneAccess calls; fixes the session's fingerprint on first use. */
  device(): DeviceContext {
    const s = this.data;
    s.created_at ??= Date.now();
    s.fingerprint ??=
      this.credential?.credential.fingerprint ??
      chooseFingerprint(this.req.headers['x-device-fingerprint'] as string | undefined);
    return buildDeviceContext(this.facts(), s.fingerprint);
  }

  /**
   * A new session id with the same fingerprint, the old id dead at once (privilege change,
   * docs/api.md section 2). Everything else starts empty.
   * @throws AppError SESSION_STORE_UNAVAILABLE
   */
  async regenerate(): Promise<void> {
    const fingerprint = this.data.fingerprint;
    if (this.req.session) {
      await new Promise<void>((resolve, reject) =>
        this.req.session.regenerate((err: unknown) =>
          err ? reject(storeUnavailable(err)) : resolve(),
        ),
      );
    } else {
      // The session ended earlier in this request (e.g. it had expired): start a new one.
      this.req.sessionStore.generate(this.req);
    }
    this.credential = null;
    if (fingerprint) this.data.fingerprint = fingerprint;
  }

  /**
   * Ends this session: deletes express-session's record and expires the cookie with the
   * attributes it was set with; the rest of the request sees the empty stand-in of `data`
   * (express-session then saves and sends nothing). The caller deletes the credential record.
   * @throws AppError SESSION_STORE_UNAVAILABLE
   */
  async destroy(): Promise<void> {
    const cookie = this.req.res?.locals.sessionCookie as SessionCookie | undefined;
    if (this.req.session) {
      await new Promise<void>((resolve, reject) =>
        this.req.session.destroy((err: unknown) =>
          err ? reject(storeUnavailable(err)) : resolve(),
        ),
      );
    }
    this.credential = null;
    if (cookie) this.req.res!.clearCookie(cookie.name, cookie.options);
  }
}
