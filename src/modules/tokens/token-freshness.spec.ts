import type { Credential } from '../../common/session/credential';
import type { SessionTokens } from '../../common/session/session.types';
import { refreshNeeded } from './token-freshness';

const now = 1_800_000_000_000;
const cred = (tokens: SessionTokens) => ({ tokens }) as Credential;
const MARGIN = 60_000;

describe('refreshNeeded', () => {
  it('should leave a token with more than the margin left alone', () => {
    expect(
      refreshNeeded(
        cred({
          session_token: 's',
          session_token_expires_at: now + 61_000,
          id_token: 'i',
          id_token_expires_at: now + 120_000,
        }),
        'id_token',
        now,
        MARGIN,
      ),
    ).toBeNull();
  });

  it('should refresh the id_token inside the margin, through the SDK when there is a session_token', () => {
    expect(
      refreshNeeded(
        cred({ session_token: 's', id_token: 'i', id_token_expires_at: now + 30_000 }),
        'id_token',
        now,
        MARGIN,
      ),
    ).toBe('id_token');
  });

  it('should refresh the session_token first when it is due (that also renews the id_token)', () => {
    const c = cred({
      session_token: 's',
      session_token_expires_at: now + 10_000,
      id_token: 'i',
      id_token_expires_at: now + 10_000,
    });
    expect(refreshNeeded(c, 'id_token', now, MARGIN)).toBe('session_token');
    expect(refreshNeeded(c, 'session_token', now, MARGIN)).toBe('session_token');
  });

  it('should renew an OIDC id_token and an access token with the refresh token', () => {
    const c = cred({
      access_token: 'a',
      access_token_expires_at: now - 1,
      refresh_token: 'r',
      id_token: 'i',
      id_token_expires_at: now - 1,
    });
    expect(refreshNeeded(c, 'id_token', now, MARGIN)).toBe('access_token');
    expect(refreshNeeded(c, 'access_token', now, MARGIN)).toBe('access_token');
  });

  it('should not ask for a refresh that cannot happen', () => {
    expect(
      refreshNeeded(cred({ id_token: 'i', id_token_expires_at: now - 1 }), 'id_token', now, MARGIN),
    ).toBeNull();
    expect(refreshNeeded(cred({ session_token: 's' }), 'access_token', now, MARGIN)).toBeNull();
  });

  it('should cap the margin at half the lifetime, so a token shorter than the margin is not due at once', () => {
    const fresh = cred({
      access_token: 'a',
      access_token_issued_at: now,
      access_token_expires_at: now + 30_000,
    });
    expect(refreshNeeded(fresh, 'access_token', now, MARGIN)).toBeNull();
    expect(refreshNeeded(fresh, 'access_token', now + 16_000, MARGIN)).toBe('access_token');
  });
});
