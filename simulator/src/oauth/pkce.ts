import { createHash } from 'node:crypto';
import type { ResolvedOptions } from '../config/options';
import type { RequestContext } from '../http/request-context';

/**
 * The authorize request's PKCE challenge, per the `oauthPkce` mode: `off` models an instance that
 * rejects the parameters; only S256 is accepted (RFC 9700 §2.1.1 rules out `plain`).
 */
export function pkceChallenge(
  ctx: RequestContext,
  implicit: boolean,
): { challenge?: string } | { error: string } {
  const challenge = ctx.query.get('code_challenge') ?? undefined;
  const method = ctx.query.get('code_challenge_method') ?? undefined;
  const mode = ctx.sim.config.oauthPkce;
  if (mode === 'off')
    return challenge || method ? { error: 'PKCE is not supported' } : { challenge: undefined };
  if (!challenge) {
    return mode === 'required' && !implicit
      ? { error: 'code_challenge required' }
      : { challenge: undefined };
  }
  if (method !== 'S256') return { error: 'code_challenge_method must be S256' };
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return { error: 'Invalid code_challenge' };
  return { challenge };
}

/** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) must equal the stored challenge. */
export function pkceVerified(
  challenge: string | undefined,
  verifier: string | null,
  mode: ResolvedOptions['oauthPkce'],
): boolean {
  // Without a challenge a verifier is ignored, as by a server that does not know PKCE.
  if (!challenge) return mode !== 'required';
  if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}
