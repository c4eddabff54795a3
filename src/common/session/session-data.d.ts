import 'express-session';
import type { SessionData } from 'express-session';
import type { StoredCredential } from './credential';
import type { PendingStep, VerifiedCaptcha } from './session.types';

declare module 'express-session' {
  /**
   * express-session's record: the browser's pre-login state. Once signed in, the credential
   * record (credential.ts) holds the user and every token; this record only says so.
   * Augmented once, here (CONTRIBUTING.md section 5).
   */
  interface SessionData {
    /** Sent as X-device-fingerprint; fixed for the session's life, across id regeneration. */
    fingerprint?: string;
    /** Epoch ms when this record was created. */
    created_at?: number;
    /** A credential record exists under this session id. */
    signed_in?: boolean;
    pending?: PendingStep;
    /** Verified captchas by mobile number, waiting for an SMS to be sent. */
    captchas?: VerifiedCaptcha[];
    /**
     * This session reset a password by SMS: pseudonyms of the mobile and of the new password, so
     * it may sign in with that password past the account's stop (login protection).
     */
    phone_proof?: { mobile: string; password: string; expires_at: number };
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in session's credential, loaded by the auth guard or the relay. */
    credential?: StoredCredential | null;
    /** Stands in for `session` after this request ended it (SessionHandle.destroy). */
    endedSession?: Partial<SessionData>;
  }
}
