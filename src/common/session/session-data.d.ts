import 'express-session';
import type {
  LoginMethod,
  PendingStep,
  SessionTokens,
  SessionUser,
  VerifiedCaptcha,
} from './session.types';

declare module 'express-session' {
  /**
   * Everything the gateway keeps server-side for one browser. Augmented once, here (style R9).
   * Token values live only here and never leave the server.
   */
  interface SessionData {
    /** Sent as X-device-fingerprint; fixed for the session's life, across id regeneration. */
    fingerprint?: string;
    /** Epoch ms when the signed-in session began; bounds its absolute lifetime. */
    created_at?: number;
    /** Epoch ms of the last request that counted as activity (GET /auth/session?slide=false does not). */
    last_seen_at?: number;
    user?: SessionUser;
    login_method?: LoginMethod;
    tokens?: SessionTokens;
    pending?: PendingStep;
    /** Verified captchas by mobile number, waiting for an SMS to be sent. */
    captchas?: VerifiedCaptcha[];
  }
}
