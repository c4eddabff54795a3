import { CaptchaService } from '../captcha/captcha-service';
import type { ResolvedOptions } from '../config/options';
import type { SimulatorKeys } from '../crypto/rsa-keys';
import { OAuthStore } from '../oauth/oauth-store';
import type { SeedData } from '../seed/seed.types';
import { IdTokenIssuer } from '../sessions/id-token-issuer';
import { SessionStore } from '../sessions/session-store';
import { StateTokenStore } from '../sessions/state-token-store';
import { SmsService } from '../sms/sms-service';
import { SocialStore } from '../social/social-store';
import { SsoTicketStore } from '../sso/sso-ticket-store';
import { TenantTokenService } from '../tenant/tenant-token-service';
import { LockoutTracker } from '../users/lockout';
import { UserStore } from '../users/user-store';
import { ExpiringStore } from './expiring-store';
import { IssuedTokens } from './issued-tokens';

/**
 * Everything the simulator remembers between calls, built from the seed. `POST /__sim/reset`
 * replaces it with a fresh instance. Stores read `config` at call time, so `PATCH /__sim/config`
 * takes effect immediately.
 */
export class SimulatorState {
  readonly issued = new IssuedTokens();
  readonly users: UserStore;
  readonly lockout: LockoutTracker;
  readonly idTokens: IdTokenIssuer;
  readonly sessions: SessionStore;
  readonly stateTokens: StateTokenStore;
  readonly captchas: CaptchaService;
  readonly sms: SmsService;
  readonly social: SocialStore;
  readonly tenantTokens: TenantTokenService;
  readonly ssoTickets: SsoTicketStore;
  readonly oauth: OAuthStore;
  /** X-signature nonces seen, per session_token, kept for twice the signature window. */
  readonly nonces = new ExpiringStore<string, true>();

  constructor(
    seed: SeedData,
    config: ResolvedOptions,
    idTokenKey: () => SimulatorKeys['idToken'],
    issuer: string,
  ) {
    const lifetimes = (): ResolvedOptions['lifetimes'] => config.lifetimes;
    this.users = new UserStore(seed.users, Date.now());
    this.lockout = new LockoutTracker(() => ({
      threshold: config.lockoutThreshold,
      lockSeconds: config.lockoutSeconds,
    }));
    this.idTokens = new IdTokenIssuer(
      idTokenKey,
      issuer,
      this.issued,
      () => config.oauthIdTokenFault,
    );
    this.sessions = new SessionStore(lifetimes, this.issued, this.idTokens);
    this.stateTokens = new StateTokenStore(() => config.lifetimes.stateToken, this.issued);
    this.captchas = new CaptchaService(
      () => ({
        captchaLifetimeS: config.lifetimes.captcha,
        captchaTokenLifetimeS: config.lifetimes.captchaToken,
        toleranceX: config.captchaToleranceX,
      }),
      this.issued,
    );
    this.sms = new SmsService(
      () => ({
        codeLifetimeS: config.lifetimes.smsCode,
        resendIntervalS: config.smsResendIntervalS,
      }),
      this.issued,
    );
    this.social = new SocialStore(seed, this.users);
    this.tenantTokens = new TenantTokenService(
      () => config.lifetimes.tenantToken,
      this.issued,
      this.idTokens,
    );
    this.ssoTickets = new SsoTicketStore(() => config.lifetimes.ssoTicket, this.issued);
    this.oauth = new OAuthStore(
      () => ({
        lifetimes: config.lifetimes,
        rotateRefreshToken: config.oauthRotateRefreshToken,
      }),
      this.issued,
      this.idTokens,
    );
  }
}
