import { SessionView } from './auth.types';

export const ANONYMOUS_VIEW: Readonly<SessionView> = Object.freeze({
  authenticated: false,
  status: 'ANONYMOUS',
  user: null,
  login_method: null,
  pending: null,
  expires_at: null,
  idle_expires_at: null,
});
