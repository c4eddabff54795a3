import { randomAlnum } from '../crypto/random';
import type { Lifetimes } from '../config/options';
import { ExpiringStore } from '../state/expiring-store';
import type { IssuedTokens } from '../state/issued-tokens';
import type { User } from '../users/user-store';
import type { IdTokenIssuer } from './id-token-issuer';

/** A logged-in user's session, keyed by its session_token. */
export interface Session {
  token: string;
  userId: string;
  clientId: string;
  /** X-device-fingerprint of the call that completed the login; SSO calls must repeat it. */
  fingerprint: string;
}

/** The token fields of a SUCCESS login result (and of the SSO refresh). */
export interface SessionTokens {
  session_token: string;
  id_token: string;
  expire: number;
}

/** session_tokens with their absolute expiry (`expire` seconds from issue). */
export class SessionStore {
  private readonly sessions = new ExpiringStore<string, Session>();

  constructor(
    private readonly lifetimes: () => Lifetimes,
    private readonly issued: IssuedTokens,
    private readonly idTokens: IdTokenIssuer,
  ) {}

  create(user: User, clientId: string, fingerprint: string): SessionTokens {
    const lifetimeS = this.lifetimes().sessionToken;
    const token = this.issued.record('session_token', randomAlnum(32));
    this.sessions.set(token, { token, userId: user.id, clientId, fingerprint }, lifetimeS * 1000);
    return {
      session_token: token,
      id_token: this.idTokenFor(user, clientId),
      expire: Math.ceil(lifetimeS),
    };
  }

  /** The live session of `token`, or undefined when unknown, expired or revoked. */
  find(token: string): Session | undefined {
    return this.sessions.get(token);
  }

  revoke(token: string): void {
    this.sessions.delete(token);
  }

  idTokenFor(user: User, clientId: string): string {
    return this.idTokens.mint('id_token', {
      sub: user.id,
      aud: clientId,
      lifetimeS: this.lifetimes().idToken,
      name: user.name,
      user_name: user.user_name,
    });
  }
}
