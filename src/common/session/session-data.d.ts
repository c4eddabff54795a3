import 'express-session';

declare module 'express-session' {
  /**
   * Everything the gateway keeps server-side for one browser. Augmented once, here (style R9).
   * Token values live only here and never leave the server.
   */
  interface SessionData {
    /** Sent as X-device-fingerprint; fixed for the session's life, across id regeneration. */
    fingerprint?: string;
    /** Epoch ms when this session was created; bounds its absolute lifetime. */
    created_at?: number;
  }
}
