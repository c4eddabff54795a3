import { OneAccessError } from '../errors/sim-errors';
import { decryptXSignature } from '../crypto/x-signature';
import type { RequestContext } from '../http/request-context';
import type { Session } from '../sessions/session-store';
import type { LoginStep, StateTokenBinding } from '../sessions/state-token-store';
import type { User } from '../users/user-store';

/**
 * The `X-state-token` of a follow-up call (#12, 13, 15, 16, 18, 19).
 * @throws OneAccessError STATE_TOKEN_INVALID (PARAM.0014, a guess), also when the header is missing.
 */
export function requireStateToken(
  ctx: RequestContext,
  steps: readonly LoginStep[],
): { token: string; binding: StateTokenBinding } {
  const token = ctx.header('x-state-token');
  const binding = ctx.sim.state.stateTokens.resolve(token, steps, ctx.sim.config.clientId);
  return { token: token!, binding };
}

/** The user a (non-social) state_token is bound to. */
export function stateUser(ctx: RequestContext, binding: StateTokenBinding): User {
  const user = ctx.sim.state.users.byId(binding.subject);
  if (!user) throw new OneAccessError('STATE_TOKEN_INVALID');
  return user;
}

/**
 * Verifies `X-signature` (§3.4): OAEP-SHA-256 decryption with the application's private key,
 * exact plaintext `session_token=…&timestamp=…&nonce=…`, timestamp within the window, nonce not
 * seen before for that session (when enabled), and a live session_token.
 * @throws OneAccessError SIGNATURE_INVALID (PARAM.0030) on any failure.
 */
export function requireSignedSession(ctx: RequestContext): { session: Session; user: User } {
  const { config, state, keys } = ctx.sim;
  const header = ctx.header('x-signature');
  const payload = header
    ? decryptXSignature(header, keys.signature.privateKey, config.oaepMgf1Hash)
    : undefined;
  if (!payload) throw new OneAccessError('SIGNATURE_INVALID');
  if (Math.abs(Date.now() - payload.timestamp) > config.signatureWindowMs)
    throw new OneAccessError('SIGNATURE_INVALID');
  const nonceKey = `${payload.sessionToken}\n${payload.nonce}`;
  if (config.rejectReplayedNonce && state.nonces.get(nonceKey))
    throw new OneAccessError('SIGNATURE_INVALID');
  const session = state.sessions.find(payload.sessionToken);
  const user = session && state.users.byId(session.userId);
  if (!session || !user) throw new OneAccessError('SIGNATURE_INVALID');
  state.nonces.set(nonceKey, true, 2 * config.signatureWindowMs);
  return { session, user };
}
