import { randomBytes } from 'node:crypto';
import { randomAlnum } from '../crypto/random';
import { signHs256 } from '../crypto/jwt';
import { OneAccessError } from '../errors/sim-errors';
import { ExpiringStore } from '../state/expiring-store';
import type { IssuedTokens } from '../state/issued-tokens';

/** The pending step a state_token stands for (section 4.2). */
export type LoginStep = 'MFA_AUTH' | 'PASSWORD_WARN' | 'PASSWORD_EXPIRED' | 'SOCIAL_BIND';

export interface StateTokenBinding {
  /** A user id, or for SOCIAL_BIND the key of the social identity awaiting a binding. */
  subject: string;
  step: LoginStep;
  clientId: string;
}

/**
 * state_tokens: bound to (subject, step, client_id), expiring, and consumed only when their step
 * completes successfully (a wrong SMS code or old password leaves them usable).
 */
export class StateTokenStore {
  private readonly tokens = new ExpiringStore<string, StateTokenBinding>();
  private readonly secret = randomBytes(32);

  constructor(
    private readonly lifetimeS: () => number,
    private readonly issued: IssuedTokens,
  ) {}

  issue(binding: StateTokenBinding): string {
    const lifetimeS = this.lifetimeS();
    const iat = Math.floor(Date.now() / 1000);
    const token = signHs256(
      {
        sub: binding.subject,
        step: binding.step,
        cid: binding.clientId,
        iat,
        exp: iat + Math.ceil(lifetimeS),
        jti: randomAlnum(16),
      },
      this.secret,
    );
    this.tokens.set(token, binding, lifetimeS * 1000);
    return this.issued.record('state_token', token);
  }

  /**
   * The binding of a live token for one of `steps`, issued to `clientId`.
   * @throws OneAccessError STATE_TOKEN_INVALID (PARAM.0014, a guess) when the token is missing,
   *   unknown, expired, consumed, for another step or for another client.
   */
  resolve(
    token: string | undefined,
    steps: readonly LoginStep[],
    clientId: string,
  ): StateTokenBinding {
    const binding = token ? this.tokens.get(token) : undefined;
    if (!binding || !steps.includes(binding.step) || binding.clientId !== clientId) {
      throw new OneAccessError('STATE_TOKEN_INVALID');
    }
    return binding;
  }

  consume(token: string): void {
    this.tokens.delete(token);
  }
}
