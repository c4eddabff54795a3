import type { Request } from 'express';
import type { Session, SessionData } from 'express-session';
import { AppError } from '../../common/errors/app-error';
import type { SessionCookie } from '../../common/session/session.types';
import { buildDeviceContext, chooseFingerprint, DeviceContext } from '../oneaccess/device-context';
import { deviceFactsOf } from '../oneaccess/device-facts';

type LiveSession = Session & Partial<SessionData>;

function storeUnavailable(cause: unknown): AppError {
  return new AppError('SESSION_STORE_UNAVAILABLE', undefined, { cause, retryAfterS: 1 });
}

/**
 * The current browser session as services see it: its data, the device it comes from, and the
 * privilege-changing operations (regenerate, destroy) as promises that fail with
 * SESSION_STORE_UNAVAILABLE. Keeps Express out of controllers and services (style R9), and
 * always reads `req.session` afresh, because regenerate() replaces that object.
 */
export class SessionHandle {
  constructor(private readonly req: Request) {}

  get data(): LiveSession {
    return this.req.session as LiveSession;
  }

  /** The device context for OneAccess calls; fixes the session's fingerprint on first use. */
  device(): DeviceContext {
    const s = this.data;
    s.fingerprint ??= chooseFingerprint(
      this.req.headers['x-device-fingerprint'] as string | undefined,
    );
    return buildDeviceContext(deviceFactsOf(this.req), s.fingerprint);
  }

  /**
   * A new session id with the same fingerprint, the old id dead at once (privilege change,
   * bff-api.md section 2). Everything else starts empty.
   * @throws AppError SESSION_STORE_UNAVAILABLE
   */
  async regenerate(): Promise<void> {
    const fingerprint = this.data.fingerprint;
    await new Promise<void>((resolve, reject) =>
      this.data.regenerate((err: unknown) => (err ? reject(storeUnavailable(err)) : resolve())),
    );
    if (fingerprint) this.data.fingerprint = fingerprint;
  }

  /**
   * Deletes the session record and expires the cookie with the attributes it was set with.
   * @throws AppError SESSION_STORE_UNAVAILABLE
   */
  async destroy(): Promise<void> {
    const cookie = this.req.res?.locals.sessionCookie as SessionCookie | undefined;
    await new Promise<void>((resolve, reject) =>
      this.data.destroy((err: unknown) => (err ? reject(storeUnavailable(err)) : resolve())),
    );
    if (cookie) this.req.res!.clearCookie(cookie.name, cookie.options);
  }

  /** Writes now (rather than at the end of the response) when a later step depends on it. */
  async save(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.data.save((err: unknown) => (err ? reject(storeUnavailable(err)) : resolve())),
    );
  }
}
