import { BffError } from './errors.js';
import type {
  Captcha,
  LogoutResult,
  MobileCodeRequest,
  OwnSession,
  Profile,
  ProfileUpdate,
  RegisterRequest,
  ResetPasswordRequest,
  SendSmsRequest,
  SessionView,
  SmsSent,
  SocialAccount,
  SocialProvider,
  UpdatePasswordRequest,
  VerifyCaptchaRequest,
} from './types.js';

export interface BffClientOptions {
  /**
   * Where the gateway is mounted: `''` (the default) for the origin's root, `'/portal'` when the
   * corporate proxy serves it under a path prefix. Outside a browser, an absolute URL such as
   * `'https://portal.example.com/portal'`.
   */
  basePath?: string;
  /** Extra headers on every call, e.g. `X-Device-Fingerprint`; a function is asked each time. */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** The fetch to use (default: the global one); tests and server-side callers pass their own. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The gateway's /auth API for a single-page app on the gateway's origin. The session cookie is
 * HttpOnly and travels by itself (`credentials: 'same-origin'`); this client never sees it. Every
 * call sends `X-CSRF: 1` and JSON headers (contract section 2). Every method rejects with a
 * {@link BffError} when the gateway refuses or cannot be reached.
 */
export class BffClient {
  private readonly basePath: string;
  private readonly extraHeaders: () => Record<string, string>;
  private readonly fetchImpl: (input: string, init: RequestInit) => Promise<Response>;

  constructor(options: BffClientOptions = {}) {
    this.basePath = (options.basePath ?? '').replace(/\/+$/, '');
    const headers = options.headers ?? {};
    this.extraHeaders = typeof headers === 'function' ? headers : () => headers;
    // Looked up per call and never called unbound: browsers refuse `fetch` detached from window.
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  // --- The session view (section 3) -------------------------------------------------------

  /** The session view; anonymous when not signed in. `slide: false` polls without extending the idle timer. */
  session(options: { slide?: boolean } = {}): Promise<SessionView> {
    return this.get(options.slide === false ? '/auth/session?slide=false' : '/auth/session');
  }

  // --- Captcha and SMS codes --------------------------------------------------------------

  captcha(): Promise<Captcha> {
    return this.get('/auth/captcha');
  }

  verifyCaptcha(body: VerifyCaptchaRequest): Promise<{ verified: true }> {
    return this.post('/auth/captcha/verify', body);
  }

  /** Sends an SMS code; needs a verified captcha for that mobile (else CAPTCHA_REQUIRED). */
  sendSms(body: SendSmsRequest): Promise<SmsSent> {
    return this.post('/auth/sms/send', body);
  }

  // --- Signing in (each answers the session view: SUCCESS or a pending step) ---------------

  loginWithPassword(user_name: string, password: string): Promise<SessionView> {
    return this.post('/auth/login/password', { user_name, password });
  }

  loginWithSms(body: MobileCodeRequest): Promise<SessionView> {
    return this.post('/auth/login/sms', body);
  }

  loginWithSocial(provider: SocialProvider, code: string): Promise<SessionView> {
    return this.post(`/auth/login/social/${provider}`, { code });
  }

  /**
   * Where to send the browser for OneAccess's own login page (OAuth redirect); it comes back to
   * `returnTo` (a same-origin path). Navigate there, do not fetch it.
   */
  oauthLoginUrl(returnTo = '/'): string {
    return `${this.basePath}/auth/oauth/login?return_to=${encodeURIComponent(returnTo)}`;
  }

  register(body: RegisterRequest): Promise<SessionView> {
    return this.post('/auth/register', body);
  }

  /** A forgotten password, with an SMS code (purpose `reset_password`). */
  resetPassword(body: ResetPasswordRequest): Promise<{ reset: true }> {
    return this.post('/auth/password/reset', body);
  }

  // --- Pending steps ----------------------------------------------------------------------

  /** MFA_AUTH: the masked number the code goes to. */
  mfa(): Promise<{ mobile: string }> {
    return this.get('/auth/mfa');
  }

  verifyMfa(verify_code: string): Promise<SessionView> {
    return this.post('/auth/mfa/sms', { verify_code });
  }

  /** PASSWORD_WARN / PASSWORD_EXPIRED; every other session of the user ends. */
  updatePassword(body: UpdatePasswordRequest): Promise<SessionView> {
    return this.post('/auth/password/update', body);
  }

  /** PASSWORD_WARN only. */
  skipPasswordUpdate(): Promise<SessionView> {
    return this.post('/auth/password/skip');
  }

  /** SOCIAL_BIND: link the social identity to an existing account. */
  bindSocial(body: MobileCodeRequest): Promise<SessionView> {
    return this.post('/auth/social/bind', body);
  }

  /** SOCIAL_BIND: create an account for the social identity. */
  registerAndBindSocial(body: MobileCodeRequest): Promise<SessionView> {
    return this.post('/auth/social/register-bind', body);
  }

  // --- The signed-in user's account -------------------------------------------------------

  profile(): Promise<Profile> {
    return this.get('/auth/profile');
  }

  updateProfile(fields: ProfileUpdate): Promise<Profile> {
    return this.request('PATCH', '/auth/profile', fields);
  }

  async socialAccounts(): Promise<SocialAccount[]> {
    return (await this.get<{ accounts: SocialAccount[] }>('/auth/social/accounts')).accounts;
  }

  unbindSocialAccount(id: string): Promise<void> {
    return this.request('DELETE', `/auth/social/accounts/${encodeURIComponent(id)}`);
  }

  /** Signs out (answers even when OneAccess is down); follow `logout_url` when present. */
  logout(): Promise<LogoutResult> {
    return this.post('/auth/logout');
  }

  // --- Your sessions ----------------------------------------------------------------------

  /** The caller's signed-in sessions, newest first, the current one marked. */
  async sessions(): Promise<OwnSession[]> {
    return (await this.get<{ sessions: OwnSession[] }>('/auth/sessions')).sessions;
  }

  /** Ends one of the caller's sessions (this one too, which signs this browser out). */
  endSession(id: string): Promise<void> {
    return this.request('DELETE', `/auth/sessions/${encodeURIComponent(id)}`);
  }

  /** Ends every other session of the caller. @returns how many ended */
  async endOtherSessions(): Promise<number> {
    return (await this.request<{ ended: number }>('DELETE', '/auth/sessions')).ended;
  }

  // --- Lower level ------------------------------------------------------------------------

  /**
   * A JSON call to any gateway path (e.g. `/auth/session`): parsed answer, undefined for 204.
   * @throws BffError
   */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw await BffError.fromResponse(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /**
   * A call with this client's headers that answers the Response as it is, whatever its status
   * (e.g. for relayed `/api/...` calls). A JSON Content-Type is sent when there is a body, unless
   * `init.headers` says otherwise.
   * @throws BffError NETWORK_ERROR when the gateway cannot be reached
   */
  async send(method: string, path: string, init: RequestInit = {}): Promise<Response> {
    const upper = method.toUpperCase();
    const headers: Record<string, string> = { Accept: 'application/json', ...this.extraHeaders() };
    // The contract's CSRF rule: every unsafe call carries X-CSRF: 1.
    if (!SAFE_METHODS.has(upper)) headers['X-CSRF'] = '1';
    if (init.body !== undefined && init.body !== null) headers['Content-Type'] = 'application/json';
    try {
      return await this.fetchImpl(`${this.basePath}${path}`, {
        ...init,
        method: upper,
        credentials: 'same-origin',
        headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
      });
    } catch {
      throw new BffError(0, 'NETWORK_ERROR', 'The gateway could not be reached.');
    }
  }

  private get<T>(path: string): Promise<T> {
    return this.request('GET', path);
  }

  private post<T>(path: string, body?: unknown): Promise<T> {
    return this.request('POST', path, body);
  }
}
